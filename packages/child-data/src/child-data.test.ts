import fc from 'fast-check';
import { freeTextProblem, MONTHS, NON_NAME_WORDS, normalisePupilReference, PUPIL_REFERENCE_PREFIXES, pupilReferenceProblem } from './index';

/** Fixed seeds: the same cases every run. */
const run = (property: fc.IProperty<any>, seed: number) => fc.assert(property, { seed, numRuns: 500 });

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const digit = fc.constantFrom(...'0123456789');
const digits = (min: number, max: number) => fc.string({ unit: digit, minLength: min, maxLength: max });
const separator = fc.constantFrom('-', '/', '.', '_');

/** Names as people write them: a capital, then lower-case letters; never a word of the non-name list or a prefix. */
const givenName = fc
  .tuple(upper, fc.string({ unit: lower, minLength: 2, maxLength: 9 }))
  .map(([a, b]) => a + b)
  .filter((w) => !NON_NAME_WORDS.has(w.toLowerCase()) && !PUPIL_REFERENCE_PREFIXES.includes(w.toUpperCase()));
const surname = givenName;

/** What a careless form gets instead of a reference: names, initials + surname, a name and digits. */
const nameAsReference = fc.oneof(
  fc.tuple(givenName, surname).map(([g, s]) => `${g} ${s}`),
  fc.tuple(upper, surname, digits(0, 3)).map(([i, s, d]) => `${i}${s.toUpperCase()}${d}`), // JSMITH07
  fc.tuple(surname, digits(1, 3)).map(([s, d]) => `${s.toUpperCase()}${d}`), // SMITH1
  fc.tuple(givenName, digits(1, 3)).map(([g, d]) => `${g}${d}`), // Oliver1
  fc.tuple(givenName, separator, surname, digits(0, 2)).map(([g, sep, s, d]) => `${g.toLowerCase()}${sep}${s.toLowerCase()}${d}`), // amelia.jones7
  fc.tuple(surname, upper).map(([s, i]) => `${s}, ${i}`),
);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateIn = (min: number, max: number) => fc.record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min, max }) });
const date = dateIn(1995, 2030);
/** A date as schools' systems and people write one. */
const numericDateOf = (dates: fc.Arbitrary<{ day: number; month: number; year: number }>) => fc.tuple(dates, fc.integer({ min: 0, max: 8 }), fc.constantFrom('/', '-', '.')).map(([{ day, month, year }, form, sep]) =>
  [
    `${pad(day)}${sep}${pad(month)}${sep}${year}`,
    `${day}${sep}${month}${sep}${year}`,
    `${pad(month)}${sep}${pad(day)}${sep}${year}`,
    `${year}${sep}${pad(month)}${sep}${pad(day)}`,
    `${pad(day)}${sep}${pad(month)}${sep}${pad(year % 100)}`,
    `${pad(day)}${pad(month)}${year}`,
    `${year}${pad(month)}${pad(day)}`,
    `${day}${sep}${month}${sep}${pad(year % 100)}`,
    `${year}${sep}${month}${sep}${day}`,
  ][form],
);
const numericDate = numericDateOf(date);
const wordedDateOf = (dates: fc.Arbitrary<{ day: number; month: number; year: number }>) => fc.tuple(dates, fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([{ day, month, year }, form, short]) => {
  const name = short ? MONTHS[month - 1].slice(0, 3) : MONTHS[month - 1];
  const th = day === 1 || day === 21 ? 'st' : day === 2 || day === 22 ? 'nd' : day === 3 || day === 23 ? 'rd' : 'th';
  return [`${day} ${name} ${year}`, `${day}${th} of ${name} ${year}`, `${name} ${day}, ${year}`, `${pad(day)}-${name}-${year}`][form];
});
const wordedDate = wordedDateOf(date);
/** A UPN: a check letter and 12 digits, or a temporary one ending with a letter. */
const upn = fc.tuple(upper, digits(11, 11), fc.oneof(digit, upper)).map(([a, d, z]) => `${a}${d}${z}`);

/**
 * The codes the council asks for: an optional prefix (one of the list, or one or two letters),
 * digits, optionally a separator and more digits, optionally one or two letters at the end.
 */
const validReference = fc
  .tuple(
    fc.oneof(fc.constant(''), fc.constantFrom(...PUPIL_REFERENCE_PREFIXES), fc.string({ unit: upper, minLength: 1, maxLength: 2 })),
    fc.oneof(fc.constant(''), separator),
    digits(1, 6),
    fc.oneof(fc.constant(''), fc.tuple(separator, digits(1, 3)).map(([s, d]) => s + d)),
    fc.oneof(fc.constant(''), fc.string({ unit: upper, minLength: 1, maxLength: 2 })),
  )
  .map((parts) => parts.join(''));

describe('pupilReferenceProblem: the one rule for pupil references (properties)', () => {
  it('refuses generated names, however they are written', () => {
    run(fc.property(nameAsReference, (ref) => pupilReferenceProblem(ref) !== undefined), 15);
  });

  it('refuses generated dates in every common shape, alone or after a prefix', () => {
    run(fc.property(numericDate, fc.constantFrom('', 'P', 'REF-', 'ADM/'), (d, prefix) => pupilReferenceProblem(prefix + d) !== undefined), 16);
    run(fc.property(wordedDate, (d) => pupilReferenceProblem(d.replace(/[\s,]/g, '')) !== undefined), 17);
  });

  it('refuses generated UPNs, plain, lower-case, separated or inside a longer reference', () => {
    run(
      fc.property(upn, fc.constantFrom('', 'P-', 'X'), fc.boolean(), (u, prefix, split) => {
        const written = split ? `${u.slice(0, 4)}-${u.slice(4, 8)}-${u.slice(8)}` : u;
        return pupilReferenceProblem(prefix + written) !== undefined && pupilReferenceProblem(written.toLowerCase()) !== undefined;
      }),
      18,
    );
  });

  it('accepts generated codes in the council format, and stores them upper-cased', () => {
    run(
      fc.property(validReference, (ref) => {
        expect(pupilReferenceProblem(ref)).toBeUndefined();
        expect(pupilReferenceProblem(ref.toLowerCase().replace(/[a-z]{3,}/g, (m) => m.toUpperCase()))).toBeUndefined();
        return normalisePupilReference(` ${ref.toLowerCase()} `) === ref;
      }),
      19,
    );
  });
});

describe('pupilReferenceProblem: examples and reasons', () => {
  it.each(['P0123', '2024-017', 'ADM/2023/44', 'X7', '1', 'EHCP001', 'EHCP-0042', 'y7-004', 'ab12', 'TP-001', 'SEN/2025/07', 'REF.9', '2015-03'])('accepts %p', (ref) => {
    expect(pupilReferenceProblem(ref)).toBeUndefined();
  });

  it.each(['JSMITH07', 'SMITH1', 'Amelia Smith', 'Smith', 'JOHN', "O'Brien7", 'Smith, J', 'amelia2', 'Jo Smith 7', 'Oliver1', 'ehcp001', 'AB-CD-12', 'J.SMITH7', '12MAR2015'])('refuses %p as a name', (ref) => {
    expect(pupilReferenceProblem(ref)).toMatch(/looks like a name: use the school's own pupil reference/);
  });

  it.each(['12/03/2015', '12-03-15', '2015-03-12', '12032015', '20150312', 'P-01.09.2019'])('refuses the date %p, saying a date of birth identifies a child', (ref) => {
    expect(pupilReferenceProblem(ref)).toMatch(/^looks like a date: a date of birth identifies a child/);
  });

  it.each(['A123456789012', 'a12345678901b', 'H82312345670Z'])('refuses the UPN %p', (ref) => {
    expect(pupilReferenceProblem(ref)).toMatch(/^looks like a UPN/);
  });

  it('refuses long digit runs (UPN or NHS number shapes), blank, long and odd references with their own reasons', () => {
    expect(pupilReferenceProblem('UPN_A123456789012')).toMatch(/10 or more digits/);
    expect(pupilReferenceProblem('943-476-5919')).toMatch(/10 or more digits/);
    expect(pupilReferenceProblem('  ')).toBe('is required');
    expect(pupilReferenceProblem('P'.repeat(19) + '12')).toMatch(/at most 20/);
    expect(pupilReferenceProblem('P01#2')).toMatch(/only letters, digits/);
  });
});

/** Sentences staff write about needs, from words that are not names. */
const safeWord = fc.constantFrom('the', 'pupil', 'needs', 'support', 'with', 'reading', 'and', 'has', 'weekly', 'sessions', 'in', 'class', 'since', 'a', 'small', 'group', '1:1', 'two', 'adults', 'for', '27.5', 'hours');
const safePhrase = fc.constantFrom(
  'Speech and Language Therapy',
  'the Educational Psychologist',
  'Key Stage 2',
  'Year 7',
  'in March 2025',
  'Social, Emotional and Mental Health',
  'Communication and Interaction',
  'Cognition and Learning',
  'Sensory and/or Physical',
  'the Occupational Therapist',
  'every Monday',
  'an EHCP Annual Review',
  'the SENDCO',
  'CAMHS',
  'Preparation for Adulthood',
  'since September',
);
const sentence = fc.array(fc.oneof(safeWord, safePhrase), { minLength: 3, maxLength: 25 }).map((words) => {
  const text = words.join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
});

/** The clock of the free-text tests: a date of birth is then a full date in 2000–2023. */
const NOW = new Date('2026-12-03T08:00:00Z');
const birthDate = dateIn(2000, 2023);
const recentDate = dateIn(2024, 2027);

describe('freeTextProblem (properties)', () => {
  it('accepts generated sentences about needs that name no one, with recent dates (reports, reviews) in them', () => {
    run(fc.property(sentence, sentence, (a, b) => freeTextProblem(`${a} ${b}`, NOW) === undefined), 20);
    run(fc.property(sentence, fc.oneof(numericDateOf(recentDate), wordedDateOf(recentDate)), (a, d) => freeTextProblem(`${a} Report dated ${d}.`, NOW) === undefined), 22);
  });

  it('refuses a generated name pair, a date of birth or a UPN wherever it is put in the text', () => {
    const identifier = fc.oneof(
      fc.tuple(givenName, surname).map(([g, s]) => `${g} ${s}`),
      numericDateOf(birthDate),
      wordedDateOf(birthDate),
      upn,
    );
    run(
      fc.property(sentence, identifier, sentence, (before, id, after) => {
        const words = before.slice(0, -1).split(' ');
        return freeTextProblem(`${words.join(' ')} ${id} ${after}`, NOW) !== undefined && freeTextProblem(`${id} ${after}`, NOW) !== undefined;
      }),
      21,
    );
  });
});

describe('freeTextProblem: examples and reasons', () => {
  it.each([
    'Seen by the Educational Psychologist in March 2025.',
    'Speech and Language Therapy weekly since Key Stage 2.',
    'Annual review, 2025',
    'In Year 7. Amelia joined the nurture group.',
    'The Outreach Team visits on Monday; Oakfield Primary referred.',
    'Level 3 in SEMH, Cognition and Learning. Reading age 7.',
    'Since May, Social, Emotional and Mental Health needs have grown.',
    'Call the office on 01234 567890.',
    'Makaton and PECS in Early Years; Down Syndrome support.',
    'EP report 12/03/2025; annual review 2026-01-14.',
    'Diagnosed in March 2019.',
  ])('accepts %p', (text) => {
    expect(freeTextProblem(text, NOW)).toBeUndefined();
  });

  it.each([
    ['Amelia Jones struggles with reading.', /must not name anyone/],
    ['Works with J. Smith at break.', /must not name anyone/],
    ['Mr Patel reports progress.', /must not name anyone/],
    ['May Clarke is in Year 5.', /must not name anyone/],
    ["Mary-Jane O'Brien needs 1:1.", /must not name anyone/],
    ['(Zoë Müller) attends part-time.', /must not name anyone/],
    ['DOB 2015', /date of birth/],
    ['Born on 3rd March 2015.', /date of birth/],
    ['Seen 12/03/2015.', /must not give a date of birth/],
    ['02-09-19 start', /must not give a date of birth/],
    ['UPN A123456789012 on file', /must not contain a UPN/],
    ['NHS 943 476 5919', /must not contain an NHS number/],
  ])('refuses %p', (text, reason) => {
    expect(freeTextProblem(text, NOW)).toMatch(reason);
  });

  it('does not echo what it found back in the message', () => {
    expect(freeTextProblem('Amelia Jones struggles')).not.toMatch(/Amelia|Jones/);
  });
});
