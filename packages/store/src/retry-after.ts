/**
 * How long a `429` asks a client to wait, read from its `Retry-After` header. Its own module so
 * the transports (which build on the notices client) and the read-model clients all read it
 * the same way without importing each other.
 */

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if any. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
