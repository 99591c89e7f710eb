/**
 * Free text about children (banding evidence, an Outreach needs summary) must describe needs, not
 * identify a child. Refused, saying why: a date of birth (a full date, day, month and year, in a
 * year someone aged up to 25 was born in, except the last two years, whose dates are those of
 * recent reports; or words announcing one: "DOB", "born on"), a UPN or NHS number, and two capitalised words side by side that read as a
 * person's name ("Amelia Jones", "Mr Patel").
 *
 * Names are found as pairs of capitalised words (with only spaces between them, so a sentence or
 * clause boundary breaks a pair) where neither word is one of the NON_NAME_WORDS below: the
 * capitalised words staff legitimately write (titles of services and roles such as "Speech and
 * Language", "Educational Psychologist", "Key Stage", the areas of need, day and month names, and
 * the words that start sentences). A month that is also a given name (April, May, June, August)
 * still counts as a name before a capitalised word that is not in the list ("May Clarke").
 * A single first name on its own cannot be told from an ordinary capitalised word and passes.
 */
import { BIRTH_YEARS_BACK, hasNhsNumber, hasUpn, mayGiveDateOfBirth, MONTHS, WHY } from './identifiers';

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Capitalised words that are not names, as staff write them (compared without case). */
export const NON_NAME_WORDS: ReadonlySet<string> = new Set(
  [
    ...MONTHS,
    ...DAYS,
    // Words that begin sentences and clauses.
    ...'A An The This That These Those There Then Than Thus Their They Them He She His Her Hers Him It Its We Our Us You Your I My Me Who Whom Whose What When Where Which While Why How If In On At By For From Into Of Off Out Over Under Up Down Since Until After Before During Following Without Within With Through Throughout Across About Above Below Between Among Against Along Around Also And But Or Nor Not No Yes So Yet As Both Each Every Either Neither All Any Some Most Many Much More Less Few Several Other Another Such Same Only Just Even Still Again Already Always Never Often Sometimes Usually Recently Currently Previously Now Today Tomorrow Yesterday Last Next First Second Third Fourth Fifth One Two Three Four Five Six Seven Eight Nine Ten Further Finally However Therefore Although Though Because Unless Whether Once Here Please Note Overall Additionally Despite Including Per Via'.split(' '),
    // People and places in a school, in general terms.
    ...'Pupil Pupils Student Students Child Children Person People Parent Parents Carer Carers Family Families Class Classes Group Groups Staff Teacher Teachers Tutor Form Head Headteacher Deputy Assistant Teaching Support Lead Leader Leaders Leadership Governor Governors Senior Middle Manager Coordinator Co-ordinator Officer Worker Practitioner Specialist Advisory Adviser Advisor Team Teams Service Services School Schools Academy Academies College Colleges Nursery Primary Secondary Special Infant Junior Sixth Trust Council Authority Local County Borough City National Department Unit Base Centre Provision Resource Hub Clinic Clinics Outreach Inclusion Nurture Library Playground'.split(' '),
    // SEND, health and care vocabulary, area-of-need titles and plan names.
    ...'SEN SEND SENCO SENDCO SENCo SENDCo Special Educational Needs Need Disability Disabilities EHC EHCP Education Health Care Plan Plans Annual Review Reviews Assessment Assessments Statutory Request Panel Funding Band Banding Matrix Descriptor Level Levels Stage Key Early Years Year Reception Foundation Phase Transfer Transition Preparation Adulthood Ofsted Communication Interaction Cognition Learning Social Emotional Mental Sensory Physical Speech Language Languages Therapy Therapies Therapist Therapists Occupational Physiotherapy Physiotherapist Educational Psychologist Psychologists Psychology Psychiatrist Paediatrician Paediatric Community Nurse Nursing Medical Doctor Hospital Clinical Autism Autistic Spectrum Condition Disorder ADHD ASD ASC SEMH SLCN SpLD MLD SLD PMLD Dyslexia Dyspraxia Dyscalculia Down Syndrome Cerebral Palsy Hearing Visual Vision Multi Impairment Impairments Deaf Blind Epilepsy Complex Profound Multiple Severe Moderate Specific Difficulties Difficulty Behaviour Attendance Anxiety Wellbeing Safeguarding Protection Looked After Virtual Pupil Premium Free Meals Social Worker Early Help Designated Alternative Pathway Pathways Enhanced Programme Intervention Interventions Provision Map Maps Plus Access Arrangements Exam Exams Reading Writing Maths Mathematics English Phonics Literacy Numeracy Science Art Music Sport Physical PE Curriculum Progress Targets Target Outcomes Outcome Strategy Strategies Training Live Conference Workshop Workshops Makaton PECS Lego Zones Regulation Sensory Circle Time Social Stories Attention Autism Bucket TEACCH Elklan Talk Boost Lexia'.split(' '),
  ].map((w) => w.toLowerCase()),
);

/** Months that are also given names: a name before a capitalised word outside the list ("May Clarke"). */
const MONTH_NAMES_THAT_ARE_GIVEN_NAMES = new Set(['april', 'may', 'june', 'august']);

/** A capitalised word: Amelia, O'Brien, McDonald, Mary-Jane, Zoë (not all-capitals acronyms). */
const CAPITALISED = /^\p{Lu}(?:\p{Ll}+|['’]\p{Lu}\p{Ll}+)(?:(?:[-'’]?\p{Lu})\p{Ll}+)*$/u;
/** An initial ("J", "J.") or a title ("Mr", "Dr."), which a name may follow after its full stop. */
const INITIAL_OR_TITLE = /^(?:\p{Lu}|Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?$/u;
/** Punctuation that ends a sentence or clause, so the next word starts a new pair. */
const BREAK_AFTER = /[.,;:!?)\]}"”»/–—-]$/;
const OPENERS = /^[("“«[{'‘]+/;
const CLOSERS = /[)"”»\]}'’.,;:!?]+$/;

/** The first two words in a row that read as a name ("Amelia Jones", "J. Smith", "Mr Patel"), if any. */
export function findNamePair(text: string): [string, string] | undefined {
  let previous: string | undefined;
  for (const raw of text.split(/\s+/)) {
    const opensNew = OPENERS.test(raw);
    const initial = INITIAL_OR_TITLE.test(raw);
    const word = initial ? raw.replace(/\.$/, '') : raw.replace(OPENERS, '').replace(CLOSERS, '');
    const isCapitalised = CAPITALISED.test(word);
    if (isCapitalised && previous && !opensNew && isNamePair(previous, word)) return [previous, word];
    previous = initial || (isCapitalised && !BREAK_AFTER.test(raw)) ? word : undefined;
  }
  return undefined;
}

function isNamePair(first: string, second: string): boolean {
  const a = first.toLowerCase();
  const b = second.toLowerCase();
  if (NON_NAME_WORDS.has(b)) return false;
  if (NON_NAME_WORDS.has(a)) return MONTH_NAMES_THAT_ARE_GIVEN_NAMES.has(a);
  return true;
}

/**
 * Why `text` cannot be kept as written about a child, or undefined when it can. `now` places the
 * years a date of birth can fall in (tests pass a fixed one).
 */
export function freeTextProblem(text: string, now: Date = new Date()): string | undefined {
  if (mayGiveDateOfBirth(text, now)) {
    return `must not give a date of birth: ${WHY.date}; a full date more than ${BIRTH_YEARS_BACK.from - 1} years ago reads as one (write "March 2019", or the report's date if recent)`;
  }
  if (hasUpn(text)) return `must not contain a UPN: ${WHY.upn}`;
  if (hasNhsNumber(text)) return `must not contain an NHS number: ${WHY.nhs}`;
  const pair = findNamePair(text);
  if (pair) {
    return 'must not name anyone: two capitalised words side by side read as a name; write "the pupil" or a role instead (titles such as "Speech and Language" or "Educational Psychologist" are fine)';
  }
  return undefined;
}
