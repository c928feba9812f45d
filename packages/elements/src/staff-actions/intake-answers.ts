/**
 * What the intake form collected, for the staff's view of a topic: every field's answer with its
 * configured label, read from the topic's values. A personal answer the server withheld from this
 * person arrives as the redaction marker (`{ redacted: true }`, see `isRedacted`) and is shown as
 * "Withheld" — never as "[object Object]". Pure: values in, view model out.
 */
import { isRedacted, type FormField, type LocalizedText, type TopicContext } from '@consult-kit/machine/core';

/** One answer as shown: the label, and its text or why there is none. */
export interface IntakeAnswer {
  name: string;
  label: LocalizedText;
  personal: boolean;
  /** `text`: the answer in words; `withheld`: redacted for this person; `empty`: not answered. */
  kind: 'text' | 'withheld' | 'empty';
  text: string;
}

/** Words the answers need, in the person's language. */
export interface AnswerWords {
  yes: string;
  no: string;
  files: (count: number) => string;
  option: (label: LocalizedText | undefined, value: string) => string;
}

/** A value as text for people, or undefined when there is nothing to show (a marker is never text). */
export function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A name from the log (a person's `by.name`, a participant's name): its text, `withheld` for the marker, else ''. */
export function nameText(value: unknown, withheld: string): string {
  if (isRedacted(value)) return withheld;
  return plainText(value) ?? '';
}

function answerText(field: FormField, value: unknown, words: AnswerWords): string | undefined {
  const option = (v: unknown) => {
    const text = plainText(v) ?? (typeof v === 'boolean' ? String(v) : undefined);
    if (text === undefined) return undefined;
    return words.option(field.options?.find((o) => o.value === text)?.label, text);
  };
  switch (field.type) {
    case 'consent':
      return value === true ? words.yes : value === false ? words.no : undefined;
    case 'checkbox':
      if (typeof value === 'boolean') return value ? words.yes : words.no;
      if (Array.isArray(value)) {
        const labels = value.map(option).filter((t): t is string => t !== undefined);
        return labels.length > 0 ? labels.join('、') : undefined;
      }
      return option(value);
    case 'select':
    case 'radio':
      return option(value);
    case 'file': {
      const count = Array.isArray(value) ? value.length : 0;
      return count > 0 ? words.files(count) : undefined;
    }
    default: {
      if (typeof value === 'boolean') return value ? words.yes : words.no;
      const text = plainText(value);
      return text !== undefined && text.trim() !== '' ? text : undefined;
    }
  }
}

/**
 * Every field of the config's form (every page) with the topic's answer, except the title (shown
 * as the topic's name). Fields the person did not answer say so.
 */
export function intakeAnswers(ctx: Pick<TopicContext, 'config' | 'values'>, words: AnswerWords): IntakeAnswer[] {
  const out: IntakeAnswer[] = [];
  for (const field of ctx.config.form.pages.flatMap((p) => p.fields)) {
    if (field.role === 'title') continue;
    const value = ctx.values[field.name];
    const base = { name: field.name, label: field.label, personal: field.personal };
    if (isRedacted(value)) {
      out.push({ ...base, kind: 'withheld', text: '' });
      continue;
    }
    const text = answerText(field, value, words);
    out.push(text === undefined ? { ...base, kind: 'empty', text: '' } : { ...base, kind: 'text', text });
  }
  return out;
}
