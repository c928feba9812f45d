/**
 * From a provider's token claims to our `Principal`, by configuration: the `--oidc-claims` file
 * (docs/server.md#identity). Claims are found by name (`groups`, `https://example.com/roles`) or
 * by JSON Pointer (`/realm_access/roles`, `/resource_access/consult-kit/roles`): a name with
 * dots or slashes inside is never split.
 *
 * ```json
 * {
 *   "id": "sub",
 *   "name": ["name", "preferred_username"],
 *   "roles": { "from": ["/realm_access/roles"], "map": { "consult-convener": "convener" } },
 *   "scopes": { "programmes": "consult_rooms", "levels": "consult_levels", "parties": "consult_parties" }
 * }
 * ```
 */
import { LEVEL_RANK, ROLES, type Level, type Role } from '@consult-kit/machine';
import type { Principal, Scopes } from '../authn.js';

/** Where a claim is: the path of member names from the top of the claims set. */
export type ClaimPath = readonly string[];

/** Where one scope list comes from, and what a token without that claim gets. */
export interface ScopeSource {
  claim: ClaimPath;
  /**
   * A token without the claim: `everywhere` (default: no list, as a token table entry without
   * scopes) or `nowhere` (an empty list: a person the provider gives no rooms acts in none —
   * choose it when every scoped person must carry the claim). Admins are never scoped by a
   * missing claim.
   */
  missing: 'nowhere' | 'everywhere';
}

/** A checked claims mapping. */
export interface ClaimsMapping {
  id: ClaimPath;
  /** Tried in order; the first string found is the display name. */
  name: ClaimPath[];
  roles: {
    /** Claims holding the provider's role or group names (an array of strings, or one string). */
    from: ClaimPath[];
    /** Provider name → our roles; absent: a provider name that is one of our roles counts as it is. */
    map?: ReadonlyMap<string, Role[]>;
  };
  scopes: { programmes?: ScopeSource; levels?: ScopeSource; parties?: ScopeSource };
}

/** The mapping without a file: `sub`, `name` / `preferred_username`, roles named as ours in `roles` or `groups`, no scopes. */
export const DEFAULT_CLAIMS_MAPPING: ClaimsMapping = {
  id: ['sub'],
  name: [['name'], ['preferred_username']],
  roles: { from: [['roles'], ['groups']] },
  scopes: {},
};

const SCOPE_NAMES = ['programmes', 'levels', 'parties'] as const;

/** `/a/b~1c` → `['a', 'b/c']`; a plain name → `[name]`. */
function claimPath(text: string): ClaimPath {
  if (!text.startsWith('/')) return [text];
  return text
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A claim path as the docs and reasons write it. */
export function showPath(path: ClaimPath): string {
  return path.length === 1 ? path[0]! : `/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function pointer(...parts: string[]): string {
  return `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * Checks a claims mapping file's JSON. Returns the mapping, or every fault, each starting with
 * the JSON Pointer of the member at fault.
 */
export function parseClaimsMapping(json: unknown): { mapping: ClaimsMapping; faults: [] } | { mapping?: undefined; faults: string[] } {
  const faults: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const path = (value: unknown, at: string): ClaimPath | undefined => {
    if (typeof value === 'string' && value !== '' && value !== '/') return claimPath(value);
    faults.push(`${at}: must be a claim name ("groups") or a JSON Pointer into the claims ("/realm_access/roles"); got ${JSON.stringify(value)}`);
    return undefined;
  };
  const paths = (value: unknown, at: string): ClaimPath[] => {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) faults.push(`${at}: must name at least one claim`);
    return list.map((v, i) => path(v, Array.isArray(value) ? `${at}/${i}` : at)).filter((p): p is ClaimPath => p !== undefined);
  };
  if (!isObject(json)) return { faults: ['/: the claims mapping must be a JSON object { "id", "name", "roles", "scopes" }'] };
  for (const key of Object.keys(json)) {
    if (!['id', 'name', 'roles', 'scopes', '$comment'].includes(key)) faults.push(`${pointer(key)}: unknown member; expected id, name, roles, scopes`);
  }
  const mapping: ClaimsMapping = { ...DEFAULT_CLAIMS_MAPPING, scopes: {} };
  if (json.id !== undefined) mapping.id = path(json.id, '/id') ?? mapping.id;
  if (json.name !== undefined) mapping.name = paths(json.name, '/name');

  const roles = json.roles;
  if (roles !== undefined) {
    if (!isObject(roles)) faults.push('/roles: must be an object { "from": [claims…], "map": { "<provider role>": "<our role>" } }');
    else {
      for (const key of Object.keys(roles)) if (!['from', 'map'].includes(key)) faults.push(`${pointer('roles', key)}: unknown member; expected from, map`);
      const from = roles.from === undefined ? mapping.roles.from : paths(roles.from, '/roles/from');
      let map: Map<string, Role[]> | undefined;
      if (roles.map !== undefined) {
        if (!isObject(roles.map)) faults.push('/roles/map: must be an object { "<provider role or group>": "<our role>" or ["<role>", …] }');
        else {
          map = new Map();
          for (const [name, target] of Object.entries(roles.map)) {
            const ours = Array.isArray(target) ? target : [target];
            const bad = ours.filter((r) => !ROLES.includes(r as Role));
            if (ours.length === 0 || bad.length > 0) {
              faults.push(`${pointer('roles', 'map', name)}: ${JSON.stringify(target)} is not one of our roles (${ROLES.join(', ')})`);
            } else map.set(name, ours as Role[]);
          }
        }
      }
      mapping.roles = { from, ...(map ? { map } : {}) };
    }
  }

  const scopes = json.scopes;
  if (scopes !== undefined) {
    if (!isObject(scopes)) faults.push('/scopes: must be an object { "programmes": "<claim>", "levels": "<claim>", "parties": "<claim>" }');
    else {
      for (const [key, value] of Object.entries(scopes)) {
        const at = pointer('scopes', key);
        if (!(SCOPE_NAMES as readonly string[]).includes(key)) {
          faults.push(`${at}: unknown scope; expected ${SCOPE_NAMES.join(', ')}`);
          continue;
        }
        let source: ScopeSource | undefined;
        if (isObject(value)) {
          for (const k of Object.keys(value)) if (!['claim', 'missing'].includes(k)) faults.push(`${at}/${k}: unknown member; expected claim, missing`);
          const claim = path(value.claim, `${at}/claim`);
          const missing = value.missing ?? 'everywhere';
          if (missing !== 'nowhere' && missing !== 'everywhere') faults.push(`${at}/missing: must be "everywhere" (default) or "nowhere"; got ${JSON.stringify(missing)}`);
          if (claim) source = { claim, missing: missing === 'nowhere' ? 'nowhere' : 'everywhere' };
        } else {
          const claim = path(value, at);
          if (claim) source = { claim, missing: 'everywhere' };
        }
        if (source) mapping.scopes[key as (typeof SCOPE_NAMES)[number]] = source;
      }
    }
  }
  return faults.length > 0 ? { faults } : { mapping, faults: [] };
}

function at(claims: Record<string, unknown>, path: ClaimPath): unknown {
  let value: unknown = claims;
  for (const part of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Strings of a claim: an array's strings, or one string. */
function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

/** What the mapping makes of a verified token's claims: a principal, or why there is none. */
export type MappedClaims = { principal: Principal; reason?: undefined } | { principal?: undefined; reason: string };

/**
 * Maps verified claims to a principal (`source: 'oidc'`). No id, or no role of ours among the
 * provider's names, gives a reason instead: the token is refused.
 */
export function principalFromClaims(mapping: ClaimsMapping, claims: Record<string, unknown>): MappedClaims {
  const rawId = at(claims, mapping.id);
  const id = typeof rawId === 'number' ? String(rawId) : rawId;
  if (typeof id !== 'string' || id === '') {
    return { reason: `the token has no "${showPath(mapping.id)}" claim, the subject id (the claims mapping's "id")` };
  }
  const found = [...new Set(mapping.roles.from.flatMap((path) => strings(at(claims, path)) ?? []))];
  const roles = new Set<Role>();
  for (const name of found) {
    const mapped = mapping.roles.map ? mapping.roles.map.get(name) : ROLES.includes(name as Role) ? [name as Role] : undefined;
    for (const role of mapped ?? []) roles.add(role);
  }
  if (roles.size === 0) {
    const shown = found.length === 0 ? 'none' : found.slice(0, 10).join(', ') + (found.length > 10 ? ', …' : '');
    return {
      reason:
        `no consult-kit role in the token's claims (looked in ${mapping.roles.from.map(showPath).join(', ')}; found: ${shown}); ` +
        'the provider must give this user a role the claims mapping maps ("roles.map"), or the user was removed',
    };
  }
  const name = mapping.name.map((path) => at(claims, path)).find((v): v is string => typeof v === 'string' && v !== '');
  const ordered = ROLES.filter((r) => roles.has(r));
  const scopes: Scopes = {};
  let scoped = false;
  for (const key of SCOPE_NAMES) {
    const source = mapping.scopes[key];
    if (!source) continue;
    const values = strings(at(claims, source.claim));
    if (values === undefined && (source.missing === 'everywhere' || ordered.includes('admin'))) continue;
    const list = [...new Set(values ?? [])];
    scoped = true;
    if (key === 'levels') scopes.levels = list.filter((l): l is Level => Object.hasOwn(LEVEL_RANK, l));
    else scopes[key] = list;
  }
  return { principal: { id, roles: ordered, ...(name ? { name } : {}), ...(scoped ? { scopes } : {}), source: 'oidc' } };
}
