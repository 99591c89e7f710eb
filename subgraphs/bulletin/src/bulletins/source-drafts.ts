/**
 * A bulletin another service drafts (a `bulletin-draft` job from its outbox): the job's payload
 * made into the editor's own input, so that it meets exactly the rules createBulletin applies (the
 * input's lengths and links, then bulletin-content.ts: Markdown that renders safely, known topics).
 */
import { validate } from 'class-validator';
import { flattenValidationErrors, type FieldProblem } from '@sendco/errors';
import { BULLETIN_DRAFT_SOURCE_KEY, type BulletinDraftJob } from '@sendco/queue';
import { BulletinItemInput, CreateBulletinInput } from './bulletin.inputs';

/** `service:pathways` for `pathways:round:<id>`: who the audit log says created the draft. */
export function draftActor(sourceKey: string): string {
  return `service:${sourceKey.slice(0, sourceKey.indexOf(':'))}`;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The job as createBulletin's input, or what is wrong with it (named `draft.<field>`). */
export async function draftInput(job: BulletinDraftJob): Promise<{ problems: FieldProblem[]; input: CreateBulletinInput }> {
  const raw = job as unknown as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (!isString(raw.sourceKey) || !BULLETIN_DRAFT_SOURCE_KEY.test(raw.sourceKey)) problems.push({ field: 'draft.sourceKey', message: 'must be <service>:<key>, e.g. pathways:round:<id>' });
  const rawItems = Array.isArray(raw.items) ? (raw.items as unknown[]) : [];
  if (!Array.isArray(raw.items)) problems.push({ field: 'draft.items', message: 'must be a list' });
  const items = rawItems.map((value) => {
    const item = (value ?? {}) as Record<string, unknown>;
    return Object.assign(new BulletinItemInput(), {
      heading: isString(item.heading) ? item.heading : '',
      body: isString(item.body) ? item.body : '',
      topic: isString(item.topic) ? item.topic : undefined,
      link: isString(item.link) && item.link ? item.link : undefined,
    });
  });
  const topics = Array.isArray(raw.topics) ? raw.topics.filter(isString) : [...new Set(items.map((i) => i.topic).filter(isString))];
  const input = Object.assign(new CreateBulletinInput(), {
    title: isString(raw.title) ? raw.title : '',
    intro: isString(raw.intro) ? raw.intro : '',
    topics,
    items,
    includeUpcoming: false,
  });
  problems.push(...flattenValidationErrors(await validate(input, { forbidUnknownValues: false }), 'draft'));
  for (const [i, item] of items.entries()) problems.push(...flattenValidationErrors(await validate(item, { forbidUnknownValues: false }), `draft.items.${i}`));
  return { problems, input };
}
