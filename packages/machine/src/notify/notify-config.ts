/**
 * The `notifications` part of a workflow config: checked (every fault by its JSON Pointer, with a
 * stable code) and normalized: a rule the city wrote in part is completed from the default
 * (notify-defaults.ts), so the checked config holds a full rule for each trigger it names.
 * `parseWorkflowConfig` runs `checkNotifications` after the schema; where the
 * schema already refused a node (a misspelt trigger, an audience not in the list), its error is
 * the one reported.
 */
import type { ConfigError, Locale } from '../config/config.types.js';
import { DEFAULT_NOTICES } from './notify-defaults.js';
import {
  AUDIENCES,
  COMMON_VARIABLES,
  NOTICE_TRIGGERS,
  TRIGGER_VARIABLES,
  type Audience,
  type NoticeRule,
  type NoticeTrigger,
  type NotificationsConfig,
} from './notify.types.js';
import { parseTemplate } from './template.js';

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const LIMITS = { dueSoonDays: 60, ratingClosingHours: 720, meetingReminderHours: 720 } as const;
const RULE_KEYS = ['to', 'subject', 'text'] as const;

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
const pointer = (path: readonly (string | number)[]) => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The variables a trigger's texts may use. */
export function allowedVariables(trigger: NoticeTrigger): string[] {
  return [...COMMON_VARIABLES, ...TRIGGER_VARIABLES[trigger]];
}

/**
 * Every fault in a config's `notifications` (the value of that property), each with its JSON
 * Pointer from the config's root and a stable code: `type`, `range`, `unknown-property`,
 * `unknown-trigger`, `unknown-audience`, `duplicate-audience`, `missing-language`,
 * `unknown-variable` (the message names the variable and lists the allowed ones),
 * `unclosed-brace`. `[]` when it is sound (or absent). Never throws.
 */
export function checkNotifications(value: unknown, at: readonly (string | number)[] = ['notifications']): ConfigError[] {
  const errors: ConfigError[] = [];
  const report = (path: readonly (string | number)[], code: string, message: string, extra: Partial<ConfigError> = {}) =>
    errors.push({ pointer: pointer(path), code, message, ...extra });
  if (value === undefined) return errors;
  if (!isObject(value)) {
    report(at, 'type', 'notifications must be an object.', { expected: 'an object' });
    return errors;
  }
  for (const key of Object.keys(value)) {
    if (!['enabled', 'dueSoonDays', 'ratingClosingHours', 'meetingReminderHours', 'notices'].includes(key)) {
      report([...at, key], 'unknown-property', `notifications has an unknown property "${key}".`, {
        expected: 'enabled, dueSoonDays, ratingClosingHours, meetingReminderHours or notices',
      });
    }
  }
  if (value.enabled !== undefined && typeof value.enabled !== 'boolean') {
    report([...at, 'enabled'], 'type', 'notifications.enabled must be true or false.', { expected: 'a boolean' });
  }
  for (const [key, max] of Object.entries(LIMITS)) {
    const n = value[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      report([...at, key], 'type', `notifications.${key} must be a whole number.`, { expected: `an integer from 0 to ${max}` });
    } else if (n < 0 || n > max) {
      report([...at, key], 'range', `notifications.${key} must be from 0 to ${max}; it is ${n}.`, { expected: `0 to ${max}`, got: String(n) });
    }
  }
  const notices = value.notices;
  if (notices === undefined) return errors;
  if (!isObject(notices)) {
    report([...at, 'notices'], 'type', 'notifications.notices must be an object keyed by trigger.', { expected: 'an object' });
    return errors;
  }
  for (const [trigger, rule] of Object.entries(notices)) {
    const path = [...at, 'notices', trigger];
    if (!(NOTICE_TRIGGERS as readonly string[]).includes(trigger)) {
      report(path, 'unknown-trigger', `"${trigger}" is not a notice trigger.`, { expected: NOTICE_TRIGGERS.join(', '), got: trigger });
      continue;
    }
    checkRule(rule, trigger as NoticeTrigger, path, report);
  }
  return errors;
}

type Report = (path: readonly (string | number)[], code: string, message: string, extra?: Partial<ConfigError>) => void;

function checkRule(rule: unknown, trigger: NoticeTrigger, path: readonly (string | number)[], report: Report): void {
  if (!isObject(rule)) {
    report(path, 'type', `The rule for ${trigger} must be an object with to, subject and/or text.`, { expected: 'an object' });
    return;
  }
  for (const key of Object.keys(rule)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      report([...path, key], 'unknown-property', `The rule for ${trigger} has an unknown property "${key}".`, { expected: 'to, subject or text' });
    }
  }
  if (rule.to !== undefined) {
    if (!Array.isArray(rule.to)) {
      report([...path, 'to'], 'type', `notices.${trigger}.to must be a list of audiences.`, { expected: AUDIENCES.join(', ') });
    } else {
      const seen = new Set<unknown>();
      rule.to.forEach((audience, i) => {
        if (!(AUDIENCES as readonly unknown[]).includes(audience)) {
          report([...path, 'to', i], 'unknown-audience', `${JSON.stringify(audience)} is not an audience.`, { expected: AUDIENCES.join(', ') });
        } else if (seen.has(audience)) {
          report([...path, 'to'], 'duplicate-audience', `The audience "${String(audience)}" is listed twice for ${trigger}.`);
        }
        seen.add(audience);
      });
    }
  }
  for (const part of ['subject', 'text'] as const) {
    const text = rule[part];
    if (text === undefined) continue;
    if (!isObject(text)) {
      report([...path, part], 'type', `notices.${trigger}.${part} must be an object with zh-CN and en texts.`, { expected: 'an object' });
      continue;
    }
    for (const locale of LOCALES) {
      const words = text[locale];
      const where = [...path, part, locale];
      if (words === undefined) {
        report(where, 'missing-language', `notices.${trigger}.${part} has no ${locale} text; every notice is written in zh-CN and en.`);
      } else if (typeof words !== 'string' || words.trim() === '') {
        report(where, 'type', `notices.${trigger}.${part}.${locale} must be a text that is not empty.`, { expected: 'a text' });
      } else {
        checkTemplate(words, trigger, where, report);
      }
    }
    for (const key of Object.keys(text)) {
      if (!(LOCALES as readonly string[]).includes(key)) {
        report([...path, part, key], 'unknown-property', `notices.${trigger}.${part} has an unknown language "${key}".`, { expected: 'zh-CN or en' });
      }
    }
  }
}

function checkTemplate(words: string, trigger: NoticeTrigger, where: readonly (string | number)[], report: Report): void {
  const parsed = parseTemplate(words);
  if (!parsed.ok) {
    report(where, 'unclosed-brace', `The text has a "{" at character ${parsed.index + 1} that is never closed; write {name} for a variable, {{ for a literal "{".`);
    return;
  }
  const allowed = allowedVariables(trigger);
  for (const part of parsed.parts) {
    if ('variable' in part && !allowed.includes(part.variable)) {
      report(where, 'unknown-variable', `The text names the variable {${part.variable}}, which ${trigger} does not have; allowed: ${allowed.map((v) => `{${v}}`).join(', ')}.`, {
        got: part.variable,
        expected: allowed.join(', '),
      });
    }
  }
}

/** The `notifications` of a config, its defaults applied; a rule written in part is completed from the default. */
export function normalizeNotifications(raw: Partial<NotificationsConfig> | undefined): NotificationsConfig {
  const notices: Partial<Record<NoticeTrigger, NoticeRule>> = {};
  for (const [trigger, rule] of Object.entries(raw?.notices ?? {}) as Array<[NoticeTrigger, Partial<NoticeRule>]>) {
    const base = DEFAULT_NOTICES[trigger];
    if (!base) continue;
    notices[trigger] = {
      to: [...((rule.to ?? base.to) as Audience[])],
      subject: { ...(rule.subject ?? base.subject) },
      text: { ...(rule.text ?? base.text) },
    };
  }
  return {
    enabled: raw?.enabled ?? true,
    dueSoonDays: raw?.dueSoonDays ?? 3,
    ratingClosingHours: raw?.ratingClosingHours ?? 48,
    meetingReminderHours: raw?.meetingReminderHours ?? 24,
    notices,
  };
}
