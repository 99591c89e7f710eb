/**
 * The council's decision on a return, checked before anything is written: a verdict per pupil
 * (AGREED, or ADJUSTED with another band of the matrix and a reason, both kept beside the
 * suggested band), comments when it goes back to the school, and a verdict on every pupil before
 * it is approved.
 */
import type { FieldProblem } from '@sendco/errors';
import { QaVerdict } from '../pupils/pupil.entity';

export interface QaPupil {
  id: string;
  pupilRef: string;
  band: number;
  verdict: QaVerdict | null;
  agreedBand: number | null;
  reason: string | null;
}

export interface QaDecisionInput {
  outcome: 'APPROVED' | 'RETURNED';
  comments?: string | null;
  pupils: { pupilId: string; verdict: QaVerdict; band?: number | null; reason?: string | null }[];
}

export interface QaDecision {
  problems: FieldProblem[];
  /** The verdicts to store, by pupil id (only for pupils named in the input). */
  verdicts: Map<string, { verdict: QaVerdict; agreedBand: number; reason: string | null }>;
  comments: string | null;
}

export function decideQa(input: QaDecisionInput, pupils: readonly QaPupil[], bands: readonly number[]): QaDecision {
  const problems: FieldProblem[] = [];
  const byId = new Map(pupils.map((p) => [p.id, p]));
  const verdicts: QaDecision['verdicts'] = new Map();
  const seenAt = new Map<string, number>();
  const comments = input.comments?.trim() || null;
  if (input.outcome === 'RETURNED' && !comments) problems.push({ field: 'input.comments', message: 'are required when the return goes back to the school: say what to change' });

  input.pupils.forEach((given, i) => {
    const at = (field: string, message: string) => problems.push({ field: `input.pupils.${i}.${field}`, message });
    const pupil = byId.get(given.pupilId);
    if (!pupil) return at('pupilId', 'is not a pupil of this return');
    if (seenAt.has(pupil.id)) return at('pupilId', `is given twice (also pupils.${seenAt.get(pupil.id)})`);
    seenAt.set(pupil.id, i);
    const reason = given.reason?.trim() || null;
    if (given.verdict === QaVerdict.AGREED) {
      if (given.band !== undefined && given.band !== null && given.band !== pupil.band) return at('band', `must be left out, or be the suggested band (${pupil.band}), when AGREED; use ADJUSTED to change it`);
      verdicts.set(pupil.id, { verdict: QaVerdict.AGREED, agreedBand: pupil.band, reason });
      return;
    }
    const before = problems.length;
    if (given.band === undefined || given.band === null) at('band', 'is required when ADJUSTED');
    else if (!bands.includes(given.band)) at('band', `must be a band of the matrix (${bands.join(', ')})`);
    else if (given.band === pupil.band) at('band', `is the suggested band (${pupil.band}): use AGREED`);
    if (!reason) at('reason', 'is required when ADJUSTED: say why the band differs from the suggested one');
    if (problems.length === before) verdicts.set(pupil.id, { verdict: QaVerdict.ADJUSTED, agreedBand: given.band!, reason });
  });

  if (input.outcome === 'APPROVED') {
    const without = pupils.filter((p) => !verdicts.has(p.id) && p.verdict === null).map((p) => p.pupilRef);
    if (without.length) problems.push({ field: 'input.pupils', message: `need a verdict on every pupil before approval; missing ${without.join(', ')}` });
  }
  return { problems, verdicts, comments };
}
