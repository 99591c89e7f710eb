/**
 * A funding round's own rules, pure and unit-tested: its details, its steps, its application
 * window (Europe/London), and what may change once it is open.
 */
import type { FieldProblem } from '@sendco/errors';
import { FundingRoundStatus } from '../pathways.enums';

export interface ScoringCriterionDefinition {
  key: string;
  label: string;
  weight: number;
  maxScore: number;
}

export interface RoundWindow {
  opensAt: Date;
  closesAt: Date;
}

export const MAX_CRITERIA = 20;
export const MAX_PATHWAYS = 1000;
const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;

/** The steps a round takes, in order; anything else is a CONFLICT. */
const NEXT: Record<FundingRoundStatus, FundingRoundStatus | undefined> = {
  [FundingRoundStatus.DRAFT]: FundingRoundStatus.OPEN,
  [FundingRoundStatus.OPEN]: FundingRoundStatus.CLOSED,
  [FundingRoundStatus.CLOSED]: FundingRoundStatus.DECIDED,
  [FundingRoundStatus.DECIDED]: undefined,
};

export function canMoveTo(from: FundingRoundStatus, to: FundingRoundStatus): boolean {
  return NEXT[from] === to;
}

/** Questions and criteria are what schools answered and the board scores against: frozen once the round opens. */
export function formsFrozen(status: FundingRoundStatus): boolean {
  return status !== FundingRoundStatus.DRAFT;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** A moment as a school in England reads it: "Mon, 2 Feb 2026, 09:00 GMT". */
export function londonTime(at: Date): string {
  return LONDON.format(at);
}

/** The window in words, for the error a school gets outside it. */
export function describeWindow(window: RoundWindow): string {
  return `${londonTime(window.opensAt)} to ${londonTime(window.closesAt)}`;
}

/** Schools may draft, save and submit only while the round is OPEN and `now` is inside [opensAt, closesAt). */
export function windowProblem(status: FundingRoundStatus, window: RoundWindow, now: Date): string | undefined {
  const span = describeWindow(window);
  if (status === FundingRoundStatus.DRAFT) return `Applications for this round are not open yet: the window is ${span}.`;
  if (status !== FundingRoundStatus.OPEN) return `Applications for this round have closed: the window was ${span}.`;
  if (now < window.opensAt) return `Applications for this round are not open yet: the window is ${span}.`;
  if (now >= window.closesAt) return `Applications for this round have closed: the window was ${span}.`;
  return undefined;
}

/** A school may withdraw a submitted application until the round is decided and the first board has sat. */
export function withdrawProblem(status: FundingRoundStatus, boardDates: readonly string[], now: Date): string | undefined {
  if (status === FundingRoundStatus.DECIDED) return 'This round has been decided; its applications can no longer be withdrawn.';
  const first = [...boardDates].sort()[0];
  if (first && now >= boardDayStart(first)) return `The board met on ${first}; applications can no longer be withdrawn.`;
  return undefined;
}

/** The start of a board day (yyyy-mm-dd) in Europe/London. */
export function boardDayStart(day: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  // London is UTC or UTC+1: the offset at that moment, read back from the formatter.
  const londonHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(utcMidnight));
  return new Date(utcMidnight.getTime() - londonHour * 3600 * 1000);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
function isIsoDay(day: string): boolean {
  if (!ISO_DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export interface RoundDetails extends RoundWindow {
  title: string;
  description: string;
  pathwaysFunded: number;
  boardDates: string[];
  criteria: ScoringCriterionDefinition[];
}

/** Every problem with a round's details, each naming its field. */
export function roundDetailsProblems(details: RoundDetails): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!details.title.trim()) problems.push({ field: 'title', message: 'is required' });
  if (!Number.isInteger(details.pathwaysFunded) || details.pathwaysFunded < 1 || details.pathwaysFunded > MAX_PATHWAYS)
    problems.push({ field: 'pathwaysFunded', message: `must be a whole number from 1 to ${MAX_PATHWAYS}` });
  if (!(details.closesAt > details.opensAt)) problems.push({ field: 'closesAt', message: 'must be after opensAt' });
  details.boardDates.forEach((day, i) => {
    if (!isIsoDay(day)) problems.push({ field: `boardDates.${i}`, message: 'must be a date (yyyy-mm-dd)' });
    else if (boardDayStart(day) < details.closesAt) problems.push({ field: `boardDates.${i}`, message: 'must be after the window closes' });
  });
  problems.push(...criteriaProblems(details.criteria));
  return problems;
}

export function criteriaProblems(criteria: readonly ScoringCriterionDefinition[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (criteria.length > MAX_CRITERIA) problems.push({ field: 'criteria', message: `at most ${MAX_CRITERIA}` });
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (!KEY.test(c.key)) problems.push({ field: `criteria.${i}.key`, message: 'letters, digits and _, starting with a letter' });
    else if (seen.has(c.key)) problems.push({ field: `criteria.${i}.key`, message: 'is used twice' });
    seen.add(c.key);
    if (!c.label.trim()) problems.push({ field: `criteria.${i}.label`, message: 'is required' });
    if (!(c.weight > 0 && c.weight <= 100)) problems.push({ field: `criteria.${i}.weight`, message: 'must be above 0 and at most 100' });
    if (!Number.isInteger(c.maxScore) || c.maxScore < 1 || c.maxScore > 100) problems.push({ field: `criteria.${i}.maxScore`, message: 'must be a whole number from 1 to 100' });
  });
  return problems;
}

/** What opening needs beyond valid details: criteria to score against, a window still to come, a board date. */
export function openingProblems(details: RoundDetails, applicationQuestionCount: number, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (details.criteria.length === 0) problems.push({ field: 'criteria', message: 'a round needs scoring criteria before it opens' });
  if (applicationQuestionCount === 0) problems.push({ field: 'applicationQuestions', message: 'a round needs an application form before it opens' });
  if (details.closesAt <= now) problems.push({ field: 'closesAt', message: 'the window has already closed' });
  if (details.boardDates.length === 0) problems.push({ field: 'boardDates', message: 'a round needs a board date before it opens' });
  return problems;
}
