import { normalisePupilRef, pupilRefProblem } from './pupil-ref';

describe('pupilRefProblem', () => {
  it.each(['P0123', '2024-017', 'ADM/2023/44', 'X7', '1', 'EHCP001', 'y7-004', 'ab12', 'UPN_A123456789012'.slice(0, 20)])('accepts the reference %p', (ref) => {
    expect(pupilRefProblem(ref)).toBeUndefined();
  });

  it.each(['Amelia Smith', 'Smith', 'JOHN', "O'Brien7", 'Smith, J', 'amelia2', 'Jo Smith 7', 'Oliver1', 'ehcp001'])('refuses %p as looking like a name', (ref) => {
    expect(pupilRefProblem(ref)).toMatch(/looks like a name: use the school's own pupil reference/);
  });

  it('refuses blank, long and odd references with their own reasons', () => {
    expect(pupilRefProblem('  ')).toBe('is required');
    expect(pupilRefProblem('P'.repeat(19) + '12')).toMatch(/at most 20/);
    expect(pupilRefProblem('P01#2')).toMatch(/only letters, digits/);
  });

  it('stores references trimmed and upper-cased', () => {
    expect(normalisePupilRef(' p0123 ')).toBe('P0123');
  });
});
