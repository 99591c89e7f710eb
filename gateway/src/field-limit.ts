/**
 * The field limit, checked before Apollo Server validates the operation. Validation cannot be cut
 * short (graphql-js runs every rule in one pass, graphql-armor's included), and its
 * overlapping-fields check is quadratic in the fields of a selection: 1,000 `__typename` took
 * 0.2 s of CPU there, 50,000 took 31 s. Counting fields first costs one parse, which the token
 * limit already bounds.
 */
import type { RequestHandler } from 'express';
import { Kind, parse, visit, type DocumentNode } from 'graphql';

export function countFields(document: DocumentNode): number {
  let fields = 0;
  visit(document, {
    [Kind.FIELD]() {
      fields += 1;
    },
  });
  return fields;
}

/** Query texts seen lately and their field counts: front ends send the same few operations over and over. */
const CACHED_QUERIES = 1000;

export interface FieldLimitAnswer {
  status: number;
  body: unknown;
}

/**
 * The check itself, on a request's payload (one operation or a batch): a 400 answer when an
 * operation has more fields than allowed. Shared by the express middleware and the gateway's
 * fast path for POSTs (graphqlPostFastPath), so both use one cache.
 */
export function fieldLimitCheck(limits: { fields: number; tokens: number }): (payload: unknown) => FieldLimitAnswer | undefined {
  // Keyed by the whole text, so a different query is never taken for a cached one; a client sending
  // a new text each time only costs what every request cost before this cache. Oldest out first.
  const fieldCounts = new Map<string, number | undefined>();
  const countOnce = (query: string): number | undefined => {
    if (fieldCounts.has(query)) return fieldCounts.get(query);
    let fields: number | undefined;
    try {
      fields = countFields(parse(query, { maxTokens: limits.tokens, noLocation: true }));
    } catch {
      fields = undefined; // not a document (or over the token limit): Apollo Server answers that itself
    }
    fieldCounts.set(query, fields);
    if (fieldCounts.size > CACHED_QUERIES) fieldCounts.delete(fieldCounts.keys().next().value!);
    return fields;
  };
  return (payload) => {
    for (const request of Array.isArray(payload) ? payload : [payload]) {
      const query = (request as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string') continue;
      const fields = countOnce(query);
      if (fields !== undefined && fields > limits.fields) {
        return {
          status: 400,
          body: { errors: [{ message: `Syntax Error: Query field limit of ${limits.fields} exceeded, found ${fields}.`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
        };
      }
    }
    return undefined;
  };
}

export function fieldLimit(limits: { fields: number; tokens: number }, check = fieldLimitCheck(limits)): RequestHandler {
  return (req, res, next) => {
    const answer = check(req.method === 'GET' ? req.query : req.body);
    if (answer) {
      res.status(answer.status).json(answer.body);
      return;
    }
    next();
  };
}
