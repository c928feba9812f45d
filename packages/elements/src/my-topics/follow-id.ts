/**
 * The `by.id` the reference server stamps on what a resident sends with a follow code:
 * `"follow:" + the first 16 hex digits of SHA-256(the normalised code)`. Computed here too, so a
 * rating this device sent (still pending, or pulled back) is recognised as this person's and the
 * rating form is not offered twice. `undefined` where Web Crypto is missing (not a secure context).
 */
const cache = new Map<string, Promise<string | undefined>>();

export function followActorId(normalizedCode: string): Promise<string | undefined> {
  let found = cache.get(normalizedCode);
  if (!found) {
    found = (async () => {
      try {
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(normalizedCode));
        const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
        return `follow:${hex.slice(0, 16)}`;
      } catch {
        return undefined;
      }
    })();
    cache.set(normalizedCode, found);
  }
  return found;
}
