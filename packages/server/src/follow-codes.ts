/**
 * Follow codes: what lets a resident without an account follow and act on their own topic
 * (rate it, withdraw it) from any device. One code per topic, derived with an HMAC of a server
 * secret (so an idempotent replay of the `topic.submit` can answer it again), 12 characters
 * from an alphabet without look-alikes, shown as `K7QM-3XPA-9DRT`. The database keeps only the
 * SHA-256 of the normalised code. Failed lookups are counted per client (a keyed hash of its
 * address) in the database, so every process behind the proxy shares the limit.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from './db/db.js';
import { Problem } from './problems.js';

/** 31 characters: digits and capitals without 0/O, 1/I/L. */
export const FOLLOW_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Characters in a code (31^12 ≈ 7.9·10^17 codes). */
export const FOLLOW_CODE_LENGTH = 12;

/** The secret's name in `server_secret`. */
const SECRET_NAME = 'follow-code-hmac';

/** Secrets by database, read (or made) once per process. */
const secrets = new WeakMap<Queryable, Promise<string>>();

/**
 * The HMAC key of follow codes: `configured` (CONSULT_FOLLOW_SECRET) when given, else the one
 * kept in the database — made once, by whichever process comes first.
 */
export function followSecret(db: Queryable, configured?: string): Promise<string> {
  if (configured) return Promise.resolve(configured);
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      await db.query('insert into server_secret (name, value) values ($1, $2) on conflict (name) do nothing', [SECRET_NAME, randomBytes(32).toString('base64url')]);
      const [row] = await db.query<{ value: string }>('select value from server_secret where name = $1', [SECRET_NAME]);
      return row!.value;
    })();
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

/** The topic's code, normalised (12 characters, no hyphens). */
export function deriveFollowCode(secret: string, programmeId: string, topicId: string): string {
  const digest = createHmac('sha256', secret).update(`follow-code\n${programmeId}\n${topicId}`).digest();
  // 256 bits read as one number, its last 12 base-31 digits: the bias is below 2^-190.
  let n = BigInt(`0x${digest.toString('hex')}`);
  let code = '';
  for (let i = 0; i < FOLLOW_CODE_LENGTH; i += 1) {
    code += FOLLOW_ALPHABET[Number(n % 31n)];
    n /= 31n;
  }
  return code;
}

/** A normalised code as people read it: three groups of four joined by `-`. */
export function formatFollowCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** A code as typed (any case, spaces and hyphens anywhere), normalised; undefined when it cannot be one. */
export function normaliseFollowCode(input: string): string | undefined {
  const code = input.replace(/[\s-]+/g, '').toUpperCase();
  if (code.length !== FOLLOW_CODE_LENGTH) return undefined;
  for (const ch of code) if (!FOLLOW_ALPHABET.includes(ch)) return undefined;
  return code;
}

/** The SHA-256 (hex) of a normalised code: what the database keeps. */
export function followCodeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The `by.id` a code acts as: `follow:` and the first 16 hex digits of its hash. */
export function followSubject(hash: string): string {
  return `follow:${hash.slice(0, 16)}`;
}

/** Records a topic's code (in the append's transaction); a second call for the topic changes nothing. */
export async function storeFollowCode(tx: Queryable, programmeId: string, topicId: string, code: string): Promise<void> {
  await tx.query('insert into follow_code (programme_id, topic_id, code_hash) values ($1, $2, $3) on conflict do nothing', [
    programmeId,
    topicId,
    followCodeHash(code),
  ]);
}

/** How failed lookups are limited: at most `max` per client in `windowMs`. */
export interface FollowLimit {
  max: number;
  windowMs: number;
}

/** A client's key for the limiter: a keyed hash of its address (the address itself is never stored). */
export function limiterClient(secret: string, address: string): string {
  return createHmac('sha256', secret).update(`follow-limit\n${address}`).digest('hex').slice(0, 32);
}

/** Throws the 429 when the client has used up its failed lookups. */
async function checkLimit(db: Queryable, client: string, limit: FollowLimit): Promise<void> {
  const [row] = await db.query<{ failures: number; retry: number | null }>(
    `select count(*)::int as failures,
            ceil(extract(epoch from (min(at) + make_interval(secs => $2) - now())))::int as retry
       from follow_failure where client = $1 and at > now() - make_interval(secs => $2)`,
    [client, limit.windowMs / 1000],
  );
  if (row && row.failures >= limit.max) {
    const retry = Math.max(1, row.retry ?? 1);
    throw new Problem(
      'rate-limited',
      `Too many follow codes that did not match from this client: ${limit.max} per ${Math.round(limit.windowMs / 60_000)} minutes are allowed; try again in ${retry} seconds.`,
      {},
      { 'Retry-After': String(retry) },
    );
  }
}

/** Counts a failed lookup, and forgets the client's failures older than the window. */
async function recordFailure(db: Queryable, client: string, limit: FollowLimit): Promise<void> {
  await db.query('delete from follow_failure where client = $1 and at <= now() - make_interval(secs => $2)', [client, limit.windowMs / 1000]);
  await db.query('insert into follow_failure (client) values ($1)', [client]);
}

/** A code that matched. */
export interface FollowMatch {
  topicId: string;
  /** The SHA-256 of the normalised code. */
  hash: string;
  /** What the code acts as (`by.id`). */
  subject: string;
}

/** What checking a code needs. */
export interface FollowCheck {
  db: Queryable;
  programmeId: string;
  /** The code as sent. */
  input: string;
  /** The client's limiter key (`limiterClient`). */
  client: string;
  limit: FollowLimit;
  /** The topic the code must belong to; omitted: any topic of the programme. */
  topicId?: string;
}

/**
 * Looks a code up: the topic it belongs to, or the problem — 429 when the client has failed too
 * often (checked first, so a guesser learns nothing more), 404 when it matches no topic (or not
 * the one named), 403 when it was revoked. A 404 counts as a failure.
 */
export async function checkFollowCode({ db, programmeId, input, client, limit, topicId }: FollowCheck): Promise<FollowMatch> {
  await checkLimit(db, client, limit);
  const code = normaliseFollowCode(input);
  const hash = code === undefined ? undefined : followCodeHash(code);
  const [row] = hash
    ? await db.query<{ topic_id: string; revoked: boolean }>('select topic_id, revoked_at is not null as revoked from follow_code where programme_id = $1 and code_hash = $2', [
        programmeId,
        hash,
      ])
    : [];
  if (!row || !hash || (topicId !== undefined && row.topic_id !== topicId)) {
    await recordFailure(db, client, limit);
    throw new Problem(
      'follow-code-not-found',
      code === undefined
        ? `A follow code is ${FOLLOW_CODE_LENGTH} letters and digits (without 0, O, 1, I or L), like K7QM-3XPA-9DRT; check what was typed.`
        : topicId === undefined
          ? 'No topic of this programme has this follow code; check what was typed.'
          : 'This follow code does not belong to this topic; check what was typed.',
    );
  }
  if (row.revoked) throw new Problem('follow-code-revoked', 'This follow code was revoked (the topic\'s personal data was erased); it no longer gives access to the topic.');
  return { topicId: row.topic_id, hash, subject: followSubject(hash) };
}

/** Revokes a topic's code (when its personal data is erased); whether there was one to revoke. */
export async function revokeFollowCode(tx: Queryable, programmeId: string, topicId: string): Promise<boolean> {
  const rows = await tx.query('update follow_code set revoked_at = now() where programme_id = $1 and topic_id = $2 and revoked_at is null returning topic_id', [programmeId, topicId]);
  return rows.length > 0;
}
