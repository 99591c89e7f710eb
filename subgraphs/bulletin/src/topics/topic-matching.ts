/**
 * Who gets what: a bulletin with no topics goes to everyone; a subscriber with no topics wants
 * every topic; otherwise they get it when they share a topic. The fan-out selects recipients in
 * SQL, so the same rule is written once more below as the SQL it runs (tested end to end).
 */
export function matchesTopics(subscriberTopics: readonly string[], bulletinTopics: readonly string[]): boolean {
  if (bulletinTopics.length === 0 || subscriberTopics.length === 0) return true;
  return subscriberTopics.some((topic) => bulletinTopics.includes(topic));
}

/** `matchesTopics` for the fan-out's query: `subscriberColumn` a text[] column, `bulletinParam` a text[] parameter. */
export function matchesTopicsSql(subscriberColumn: string, bulletinParam: string): string {
  return `(cardinality(${bulletinParam}::text[]) = 0 OR cardinality(${subscriberColumn}) = 0 OR ${subscriberColumn} && ${bulletinParam}::text[])`;
}

/** A weekly digest edition's readers: `subscriberColumn` holds exactly the topics of `audienceParam` (as sets). */
export function sameTopicsSql(subscriberColumn: string, audienceParam: string): string {
  return `(${subscriberColumn} @> ${audienceParam}::text[] AND ${subscriberColumn} <@ ${audienceParam}::text[])`;
}

/** Indices of the requested topics that are not on the managed list. */
export function unknownTopicIndices(requested: readonly string[], known: ReadonlySet<string>): number[] {
  return requested.flatMap((topic, index) => (known.has(topic) ? [] : [index]));
}
