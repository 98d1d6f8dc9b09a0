import { DomainError } from '@kanshi/errors';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// Cursors are opaque base64url of a (sortKey, id) pair: stable under inserts, unlike offsets.
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const [sortKey, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof sortKey !== 'string' || typeof id !== 'string') throw new Error('shape');
    return { sortKey, id };
  } catch {
    throw new DomainError('BAD_USER_INPUT', 'after: not a cursor returned by this API', 'after');
  }
}

export function pageSize(args: PageArgs, max = 200): number {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > max) throw new DomainError('BAD_USER_INPUT', `first must be between 1 and ${max}`, 'first');
  return first;
}

// rows: fetched with limit first+1 in sort order.
export function pageOf<T>(rows: T[], first: number, key: (row: T) => { sortKey: string; id: string }): Page<T> {
  const slice = rows.slice(0, first);
  const edges = slice.map((node) => {
    const k = key(node);
    return { cursor: encodeCursor(k.sortKey, k.id), node };
  });
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}
