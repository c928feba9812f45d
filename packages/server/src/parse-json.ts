/** The server's one JSON body parser (every route's, and the config publish's). */
import { Problem } from './problems.js';

/**
 * Whether a JSON text may hold a `__proto__` member: the name written with plain or escaped
 * characters (the test secure-json-parse makes). A text without it cannot, and is parsed
 * without a reviver (a reviver call per member costs more than the parse itself).
 */
const MAYBE_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"/;

/** Parses JSON, refusing `__proto__` keys (prototype poisoning) and saying where the text breaks. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new Problem('malformed-json', 'The body is empty; send an EventSubmission as JSON.');
  try {
    if (!MAYBE_PROTO.test(text)) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new Problem('malformed-json', 'The body has a "__proto__" member, which this server refuses.');
      return value;
    });
  } catch (error) {
    if (error instanceof Problem) throw error;
    // Newer V8 quotes the text around the fault ("…" is not valid JSON): it may hold personal data.
    throw new Problem('malformed-json', (error as Error).message.replace(/,? ".*? is not valid JSON$/s, ' (not valid JSON)'));
  }
}
