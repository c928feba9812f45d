/**
 * Helpers every capability's routes share for reading a request: the programme path parameter,
 * a query parameter given once, and `If-None-Match`.
 */
import { Problem } from '../problems.js';

/** The route's path parameter. */
export interface ProgrammeParams {
  programmeId: string;
}

/** Whether `If-None-Match` names this entity tag (weak comparison, `*`, lists). */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A query parameter given once, or undefined; a repeated one is a 400. */
export function singleQuery(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new Problem('invalid-request', `${name} may be given once.`, { errors: [{ parameter: name, message: 'must be given once' }] });
}

