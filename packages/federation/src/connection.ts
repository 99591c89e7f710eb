/**
 * Relay connections (first/after, edges { cursor node }, pageInfo) for lists that can grow.
 * Cursors are opaque keyset positions: base64url of the sort key and id, so a page stays
 * stable while rows are added before it.
 */
import { type ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { badUserInput } from '@sendco/errors';

// Every subgraph with a connection resolves PageInfo itself: a shared value type (Federation 2).
@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** `@ObjectType() class EventConnection extends ConnectionType(Event) {}` */
export function ConnectionType<T extends object>(node: ClassType<T>) {
  @ObjectType(`${node.name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType()
  class ConnectionClass {
    @Field(() => Int)
    totalCount!: number;

    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface KeysetCursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(after: string | null | undefined): KeysetCursor | undefined {
  if (!after) return undefined;
  try {
    const [key, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (typeof key === 'string' && typeof id === 'string') return { key, id };
  } catch {
    // fall through
  }
  throw badUserInput([{ field: 'after', message: 'is not a cursor from this list' }]);
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput([{ field: 'first', message: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

/** Builds a connection from rows fetched with limit `size + 1` (the extra row tells hasNextPage). */
export function toConnection<T>(rows: T[], size: number, totalCount: number, cursorOf: (row: T) => KeysetCursor): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return { totalCount, edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}
