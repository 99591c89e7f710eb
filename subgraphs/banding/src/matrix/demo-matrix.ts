/**
 * The demo matrix (version 1 on the embedded default): the four broad areas of need of the SEND
 * Code of Practice, five levels each, five bands. The descriptors are written for this product
 * in plain words; they are not any council's published matrix. A council publishes its own.
 */
import type { MatrixDefinition } from './matrix-definition';

const levels = (descriptors: [string, string, string, string, string]) => descriptors.map((descriptor, level) => ({ level, descriptor }));

export const DEMO_MATRIX: MatrixDefinition = {
  areas: [
    {
      key: 'COMMUNICATION_AND_INTERACTION',
      name: 'Communication and interaction',
      levels: levels([
        'No identified need in this area beyond what every pupil gets.',
        'Some difficulty understanding or using language, or with social interaction; managed with visual supports and adjusted teaching in class.',
        'Persistent difficulty being understood or taking part with others; regular small-group or individual work planned with a speech and language therapist.',
        'Communication or interaction needs that affect most of the school day; daily individual support and an adapted environment.',
        'Very limited functional communication; needs a communication system and an adult with them to take part at all.',
      ]),
    },
    {
      key: 'COGNITION_AND_LEARNING',
      name: 'Cognition and learning',
      levels: levels([
        'No identified need in this area beyond what every pupil gets.',
        'Learning a little behind peers in some subjects; catches up with differentiated work and short interventions.',
        'Working well below age-related expectations in most subjects; a personalised curriculum in parts of the day.',
        'Significant learning difficulty; most learning is individually planned and delivered with adult support.',
        'Profound difficulty with learning; the whole curriculum is individually planned and every activity is supported.',
      ]),
    },
    {
      key: 'SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH',
      name: 'Social, emotional and mental health',
      levels: levels([
        'No identified need in this area beyond what every pupil gets.',
        'Occasional difficulty managing feelings or relationships; settles with a known adult and a calm space.',
        'Frequent dysregulation or withdrawal that interrupts learning; a planned programme of support and regular check-ins.',
        'Distress or behaviour that puts the pupil or others at risk without a trained adult nearby for much of the day.',
        'Needs a trained adult with them throughout the day, with a detailed safety and support plan agreed with other services.',
      ]),
    },
    {
      key: 'SENSORY_AND_PHYSICAL',
      name: 'Sensory and/or physical',
      levels: levels([
        'No identified need in this area beyond what every pupil gets.',
        'A sensory or physical need met with simple adjustments: seating, enlarged print, movement breaks.',
        'Needs specialist equipment or a regular programme (for example from a physiotherapist or a sensory support teacher).',
        'Needs adult help with personal care, mobility or access to learning for parts of every day.',
        'Needs adult help for almost every activity, with specialist equipment and health care planned into the day.',
      ]),
    },
  ],
  levelPoints: [0, 1, 3, 6, 10],
  bands: [
    { band: 1, label: 'Band 1: Targeted', description: 'Needs met mostly from ordinarily available provision with some targeted help.', minScore: 0, primaryNeedLevel: null },
    { band: 2, label: 'Band 2: Additional', description: 'Regular additional support in one or two areas.', minScore: 5, primaryNeedLevel: 2 },
    { band: 3, label: 'Band 3: Substantial', description: 'Substantial daily support across the school day.', minScore: 10, primaryNeedLevel: 3 },
    { band: 4, label: 'Band 4: High', description: 'High levels of individual support for most of the day.', minScore: 16, primaryNeedLevel: 4 },
    { band: 5, label: 'Band 5: Exceptional', description: 'Exceptional, individually staffed support throughout the day.', minScore: 24, primaryNeedLevel: null },
  ],
};
