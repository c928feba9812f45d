/**
 * Follow codes: what a resident without an account keeps to follow and act on their own topic.
 * Twelve characters from an alphabet without the look-alikes 0/O and 1/l/I, shown as three
 * groups of four ("K7QM-3XPA-9DRT") so it can be read aloud on the phone.
 */

/** The characters of a follow code (31 of them: no 0, O, 1, I, L). */
export const FOLLOW_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Characters in a follow code, without the separators. */
export const FOLLOW_CODE_LENGTH = 12;

const VALID = new RegExp(`^[${FOLLOW_CODE_ALPHABET}]{${FOLLOW_CODE_LENGTH}}$`);

/**
 * The code as the server compares it: upper case, without spaces or hyphens. `null` when it
 * cannot be a follow code (wrong length, or a character outside the alphabet), so a typo is
 * caught before anything is asked of the server.
 */
export function normalizeFollowCode(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  // NFKC folds full-width letters, digits and hyphens (a Chinese input method's) to ASCII.
  const code = input.normalize('NFKC').replace(/[\s\u00a0\u3000\-\u2010-\u2015\u2212\uff0d]+/g, '').toUpperCase();
  return VALID.test(code) ? code : null;
}

/** The code as people see it: "K7QM-3XPA-9DRT". A string that is not a code comes back trimmed. */
export function formatFollowCode(code: string): string {
  const normal = normalizeFollowCode(code);
  if (!normal) return String(code ?? '').trim();
  return `${normal.slice(0, 4)}-${normal.slice(4, 8)}-${normal.slice(8)}`;
}
