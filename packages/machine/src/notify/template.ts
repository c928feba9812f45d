/**
 * Notice templates: plain text with `{name}` variables; `{{` is a literal `{` (a lone `}` is just
 * a character). One parser for the config checker (which refuses unknown variables and an unclosed
 * `{` by pointer) and the renderer (which substitutes), so both read a text the same way.
 */

/** A template cut into literal text and variable names, or where it breaks. */
export type ParsedTemplate =
  | { ok: true; parts: ReadonlyArray<{ text: string } | { variable: string }> }
  | { ok: false; code: 'unclosed-brace'; index: number };

/** Parses a notice template. Never throws. */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: Array<{ text: string } | { variable: string }> = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '{') {
      text += c;
      continue;
    }
    if (template[i + 1] === '{') {
      text += '{';
      i++;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    const nextOpen = template.indexOf('{', i + 1);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) return { ok: false, code: 'unclosed-brace', index: i };
    // Whatever stands between the braces is the name; the checker refuses any it does not know.
    const name = template.slice(i + 1, close);
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable: name });
    i = close;
  }
  if (text) parts.push({ text });
  return { ok: true, parts };
}

/** The variable names a template uses, in order of first use (none when it does not parse). */
export function templateVariables(template: string): string[] {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return [];
  const names: string[] = [];
  for (const part of parsed.parts) if ('variable' in part && !names.includes(part.variable)) names.push(part.variable);
  return names;
}

/** Substitutes `values` into a template; a variable without a value (or a broken template) renders as ''/the raw text. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return template;
  return parsed.parts.map((p) => ('text' in p ? p.text : (Object.hasOwn(values, p.variable) ? values[p.variable]! : ''))).join('');
}
