/**
 * A NUL or a lone surrogate in a query parameter or a path segment (`?q=%00`, an export's
 * `?value=`) is refused before the route runs, as in a body (parse-json.ts): `400
 * /problems/invalid-request` naming the parameter. PostgreSQL (and PGlite) cannot take a NUL in
 * a text parameter, so such a request reached the database and answered 500.
 */
import type { FastifyRequest } from 'fastify';
import { hasBadCharacter } from '../parse-json.js';
import { Problem } from '../problems.js';

/** The first query parameter or path parameter holding a NUL or a lone surrogate. */
function badParameter(request: FastifyRequest): string | undefined {
  for (const source of [request.query, request.params]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
      // A wildcard is a static file's path: those routes refuse a NUL themselves, with 404.
      if (source === request.params && name === '*') continue;
      const values = Array.isArray(value) ? value : [value];
      if (hasBadCharacter(name) || values.some((v) => typeof v === 'string' && hasBadCharacter(v))) return name;
    }
  }
  return undefined;
}

/** A `preValidation` hook: refuses a request whose query or path holds a NUL or a lone surrogate. */
export async function refuseBadCharacters(request: FastifyRequest): Promise<void> {
  // Only a percent-encoded NUL can put one there (URLs decode as UTF-8, which has no lone
  // surrogates: a broken sequence becomes U+FFFD): every other URL skips the walk.
  if (!request.url.includes('%00')) return;
  const name = badParameter(request);
  if (name !== undefined) {
    throw new Problem('invalid-request', 'A query or path parameter holds a character this server does not accept (a NUL or a lone surrogate).', {
      errors: [{ parameter: hasBadCharacter(name) ? '(a parameter name)' : name, message: 'holds a NUL character (U+0000) or half of a surrogate pair' }],
    });
  }
}
