/**
 * What an editor may put in a bulletin, checked in one place: a title, item headings, bodies
 * that render safely, topics from the managed list. Returns every problem at once, named as
 * the input's path, so nothing is saved until all of it is right.
 */
import type { FieldProblem } from '@sendco/errors';
import type { BulletinItem } from './bulletin.entity';
import type { CreateBulletinInput } from './bulletin.inputs';
import { renderMarkdown, UnsafeMarkdownError } from './markdown';
import { unknownTopicIndices } from '../topics/topic-matching';

export interface CheckedBulletin {
  problems: FieldProblem[];
  items: BulletinItem[];
}

export function checkBulletinContent(input: CreateBulletinInput, knownTopics: ReadonlySet<string>, field = 'input'): CheckedBulletin {
  const problems: FieldProblem[] = [];
  if (!input.title.trim()) problems.push({ field: `${field}.title`, message: 'must not be blank' });
  for (const index of unknownTopicIndices(input.topics, knownTopics)) problems.push({ field: `${field}.topics.${index}`, message: `"${input.topics[index]}" is not a bulletin topic` });
  if (input.items.length === 0 && !input.intro.trim()) problems.push({ field: `${field}.items`, message: 'a bulletin needs an introduction or at least one item' });
  const items = input.items.map((item, index) => {
    const at = `${field}.items.${index}`;
    if (!item.heading.trim()) problems.push({ field: `${at}.heading`, message: 'must not be blank' });
    if (item.topic && !knownTopics.has(item.topic)) problems.push({ field: `${at}.topic`, message: `"${item.topic}" is not a bulletin topic` });
    let rendered = { html: '', text: '' };
    if (!item.body.trim()) problems.push({ field: `${at}.body`, message: 'must not be blank' });
    else {
      try {
        rendered = renderMarkdown(item.body);
      } catch (error) {
        if (!(error instanceof UnsafeMarkdownError)) throw error;
        problems.push({ field: `${at}.body`, message: `must not contain ${error.reasons.join(', ')}` });
      }
    }
    return { heading: item.heading.trim(), body: item.body, bodyHtml: rendered.html, bodyText: rendered.text, topic: item.topic ?? null, link: item.link ?? null };
  });
  return { problems, items };
}
