/**
 * The notify file (`--notify <file>` / `CONSULT_NOTIFY`, docs/server.md "Notifications"): where
 * notices go — webhook endpoints with their Standard Webhooks secrets, the SMTP server, the
 * staff directory (addresses: personal data, so never in the public workflow config), the retry
 * schedule, the public URL links are built from, the time zone and the clock's tick.
 *
 * `parseNotifyOptions` checks it and reports every fault at once, each starting with the JSON
 * Pointer of the member at fault (as the `--oidc-claims` file). A fault never repeats a secret
 * or a password: it names where the bad value is, not what it is.
 *
 * ```json
 * {
 *   "publicUrl": "https://consult.example.gov.cn",
 *   "webhooks": [{ "id": "sms", "url": "https://sms.example.gov.cn/hook", "secret": "whsec_…", "audiences": ["resident"] }],
 *   "smtp": { "url": "smtps://user:pass@mail.example.gov.cn", "from": "consult@example.gov.cn" },
 *   "directory": { "people": { "conv-1": { "email": "conv@example.gov.cn" } }, "parties": {}, "programmes": { "*": { "supervisors": ["conv-1"] } } },
 *   "retry": { "delaysSeconds": [30, 120, 600, 3600, 21600], "timeoutMs": 10000 },
 *   "timeZone": "Asia/Shanghai",
 *   "tickMs": 15000
 * }
 * ```
 */
import { AUDIENCES, NOTICE_TRIGGERS, type Audience, type Locale, type NoticeTrigger } from '@consult-kit/machine';
import type { Directory, DirectoryEntry, NotifyOptions, RetryPolicy, WebhookEndpoint } from './types.js';

/** The defaults docs/server.md lists. */
export const NOTIFY_DEFAULTS = {
  retry: { delaysSeconds: [30, 120, 600, 3600, 21_600], timeoutMs: 10_000 } satisfies RetryPolicy,
  timeZone: 'Asia/Shanghai',
  tickMs: 15_000,
} as const;

/** The options without a notify file: no channel, the default clock and retry schedule. */
export function defaultNotifyOptions(): NotifyOptions {
  return {
    webhooks: [],
    directory: { people: {}, parties: {}, programmes: {} },
    retry: { delaysSeconds: [...NOTIFY_DEFAULTS.retry.delaysSeconds], timeoutMs: NOTIFY_DEFAULTS.retry.timeoutMs },
    timeZone: NOTIFY_DEFAULTS.timeZone,
    tickMs: NOTIFY_DEFAULTS.tickMs,
  };
}

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** An e-mail address as we accept it: one @, no spaces or angle brackets, a dotted domain. */
export const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;

/** A phone number as we accept it: E.164 (`+8613812345678`) or a mainland mobile (`13812345678`). */
export const PHONE_PATTERN = /^(\+[1-9]\d{7,14}|1[3-9]\d{9})$/;

/** Whether a string is a Standard Webhooks secret: `whsec_` + base64 of 24 to 64 bytes. */
export function isWebhookSecret(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith('whsec_')) return false;
  const b64 = value.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return false;
  const bytes = Buffer.from(b64, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/** Whether `Intl` knows a time zone. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function pointer(...parts: (string | number)[]): string {
  return `/${parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a notify file's JSON. Returns the options with every default applied, or every fault,
 * each starting with the JSON Pointer of the member at fault. No fault repeats a secret, a
 * password or an address.
 */
export function parseNotifyOptions(json: unknown): { options: NotifyOptions; faults: [] } | { options?: undefined; faults: string[] } {
  const faults: string[] = [];
  if (!isObject(json)) return { faults: ['/: the notify file must be a JSON object { "webhooks", "smtp", "directory", "retry", "publicUrl", "myTopicsUrl", "timeZone", "tickMs" }'] };
  const options = defaultNotifyOptions();
  const known = ['webhooks', 'smtp', 'directory', 'retry', 'publicUrl', 'myTopicsUrl', 'timeZone', 'tickMs', '$comment'];
  for (const key of Object.keys(json)) if (!known.includes(key)) faults.push(`${pointer(key)}: unknown member; expected ${known.slice(0, -1).join(', ')}`);

  const strictMembers = (value: Record<string, unknown>, at: string, allowed: string[]): void => {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) faults.push(`${at}${pointer(key)}: unknown member; expected ${allowed.join(', ')}`);
  };
  const list = <T extends string>(value: unknown, at: string, allowed: readonly T[], what: string): T[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0) {
      faults.push(`${at}: must be a non-empty array of ${what} (${allowed.join(', ')}); leave it out for all`);
      return undefined;
    }
    const out: T[] = [];
    value.forEach((item, i) => {
      if (!allowed.includes(item as T)) faults.push(`${at}/${i}: ${JSON.stringify(item)} is not one of the ${what} (${allowed.join(', ')})`);
      else if (out.includes(item as T)) faults.push(`${at}/${i}: ${JSON.stringify(item)} is listed twice`);
      else out.push(item as T);
    });
    return out;
  };
  const httpUrl = (value: unknown, at: string, what: string): string | undefined => {
    const url = typeof value === 'string' ? URL.parse(value) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      faults.push(`${at}: ${what} must be an http: or https: URL`);
      return undefined;
    }
    if (url.username || url.password) {
      faults.push(`${at}: ${what} must not carry a user or password`);
      return undefined;
    }
    return value as string;
  };

  // webhooks
  if (json.webhooks !== undefined) {
    if (!Array.isArray(json.webhooks)) faults.push('/webhooks: must be an array of endpoints { "id", "url", "secret", "triggers"?, "audiences"?, "programmes"? }');
    else {
      const ids = new Set<string>();
      json.webhooks.forEach((raw, i) => {
        const at = pointer('webhooks', i);
        if (!isObject(raw)) {
          faults.push(`${at}: must be an object { "id", "url", "secret", … }`);
          return;
        }
        strictMembers(raw, at, ['id', 'url', 'secret', 'triggers', 'audiences', 'programmes', '$comment']);
        const id = raw.id;
        if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) faults.push(`${at}/id: must be a short id of letters, digits, ".", "_" or "-" (at most 64)`);
        else if (ids.has(id)) faults.push(`${at}/id: "${id}" is the id of an earlier endpoint; ids must be unique`);
        else ids.add(id);
        const url = httpUrl(raw.url, `${at}/url`, "the endpoint's address");
        if (!isWebhookSecret(raw.secret)) faults.push(`${at}/secret: must be a Standard Webhooks secret, "whsec_" followed by the base64 of 24 to 64 random bytes (e.g. "whsec_" + \`openssl rand -base64 32\`)`);
        const triggers = list<NoticeTrigger>(raw.triggers, `${at}/triggers`, NOTICE_TRIGGERS, 'triggers');
        const audiences = list<Audience>(raw.audiences, `${at}/audiences`, AUDIENCES, 'audiences');
        let programmes: string[] | undefined;
        if (raw.programmes !== undefined) {
          if (!Array.isArray(raw.programmes) || raw.programmes.length === 0 || raw.programmes.some((p) => typeof p !== 'string' || p === '')) {
            faults.push(`${at}/programmes: must be a non-empty array of programme ids; leave it out for all`);
          } else programmes = raw.programmes as string[];
        }
        if (typeof id === 'string' && url && isWebhookSecret(raw.secret)) {
          const endpoint: WebhookEndpoint = { id, url, secret: raw.secret };
          if (triggers) endpoint.triggers = triggers;
          if (audiences) endpoint.audiences = audiences;
          if (programmes) endpoint.programmes = programmes;
          options.webhooks.push(endpoint);
        }
      });
    }
  }

  // smtp
  if (json.smtp !== undefined) {
    const smtp = json.smtp;
    if (!isObject(smtp)) faults.push('/smtp: must be an object { "url": "smtp://…" or "smtps://…", "from": "address" }');
    else {
      strictMembers(smtp, '/smtp', ['url', 'from', '$comment']);
      const url = typeof smtp.url === 'string' ? URL.parse(smtp.url) : null;
      // The URL may hold a password: the fault names only the scheme rule.
      if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) faults.push('/smtp/url: must be an smtp:// or smtps:// URL with a host (user:password@ may be part of it)');
      const from = smtp.from;
      const address = typeof from === 'string' ? (/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).trim() : '';
      if (!EMAIL_PATTERN.test(address)) faults.push('/smtp/from: must be an e-mail address ("consult@example.gov.cn" or "Name <consult@example.gov.cn>")');
      if (url && (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname && EMAIL_PATTERN.test(address)) options.smtp = { url: smtp.url as string, from: from as string };
    }
  }

  // directory
  if (json.directory !== undefined) {
    const dir = json.directory;
    if (!isObject(dir)) faults.push('/directory: must be an object { "people", "parties", "programmes" }');
    else {
      strictMembers(dir, '/directory', ['people', 'parties', 'programmes', '$comment']);
      const entries = (value: unknown, at: string): Record<string, DirectoryEntry> => {
        const out: Record<string, DirectoryEntry> = {};
        if (value === undefined) return out;
        if (!isObject(value)) {
          faults.push(`${at}: must be an object of id → { "email"?, "phone"?, "name"?, "locale"? }`);
          return out;
        }
        for (const [id, raw] of Object.entries(value)) {
          const here = `${at}${pointer(id)}`;
          if (!isObject(raw)) {
            faults.push(`${here}: must be an object { "email"?, "phone"?, "name"?, "locale"? }`);
            continue;
          }
          strictMembers(raw, here, ['email', 'phone', 'name', 'locale', '$comment']);
          const entry: DirectoryEntry = {};
          if (raw.email !== undefined) {
            if (typeof raw.email !== 'string' || !EMAIL_PATTERN.test(raw.email)) faults.push(`${here}/email: must be an e-mail address`);
            else entry.email = raw.email;
          }
          if (raw.phone !== undefined) {
            if (typeof raw.phone !== 'string' || !PHONE_PATTERN.test(raw.phone)) faults.push(`${here}/phone: must be a phone number in E.164 form (+8613812345678) or a mainland mobile (13812345678)`);
            else entry.phone = raw.phone;
          }
          if (raw.name !== undefined) {
            if (typeof raw.name !== 'string' || raw.name.length > 200) faults.push(`${here}/name: must be a string of at most 200 characters`);
            else entry.name = raw.name;
          }
          if (raw.locale !== undefined) {
            if (!LOCALES.includes(raw.locale as Locale)) faults.push(`${here}/locale: must be "zh-CN" or "en"`);
            else entry.locale = raw.locale as Locale;
          }
          out[id] = entry;
        }
        return out;
      };
      const directory: Directory = { people: entries(dir.people, '/directory/people'), parties: entries(dir.parties, '/directory/parties'), programmes: {} };
      if (dir.programmes !== undefined) {
        if (!isObject(dir.programmes)) faults.push('/directory/programmes: must be an object of programme id (or "*") → { "conveners"?: [people ids], "supervisors"?: [people ids] }');
        else {
          for (const [programme, raw] of Object.entries(dir.programmes)) {
            const here = `/directory/programmes${pointer(programme)}`;
            if (!isObject(raw)) {
              faults.push(`${here}: must be an object { "conveners"?: [people ids], "supervisors"?: [people ids] }`);
              continue;
            }
            strictMembers(raw, here, ['conveners', 'supervisors', '$comment']);
            const roles: { conveners?: string[]; supervisors?: string[] } = {};
            for (const role of ['conveners', 'supervisors'] as const) {
              const ids = raw[role];
              if (ids === undefined) continue;
              if (!Array.isArray(ids)) {
                faults.push(`${here}/${role}: must be an array of ids from /directory/people`);
                continue;
              }
              const good: string[] = [];
              ids.forEach((id, i) => {
                if (typeof id !== 'string' || !Object.hasOwn(directory.people, id)) faults.push(`${here}/${role}/${i}: ${JSON.stringify(id)} is not an id in /directory/people`);
                else good.push(id);
              });
              roles[role] = good;
            }
            directory.programmes[programme] = roles;
          }
        }
      }
      options.directory = directory;
    }
  }

  // retry
  if (json.retry !== undefined) {
    const retry = json.retry;
    if (!isObject(retry)) faults.push('/retry: must be an object { "delaysSeconds": [seconds…], "timeoutMs": ms }');
    else {
      strictMembers(retry, '/retry', ['delaysSeconds', 'timeoutMs', '$comment']);
      if (retry.delaysSeconds !== undefined) {
        const delays = retry.delaysSeconds;
        if (!Array.isArray(delays) || delays.length > 50) faults.push('/retry/delaysSeconds: must be an array of at most 50 delays in seconds ([] : one attempt, then dead)');
        else {
          delays.forEach((d, i) => {
            if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || d > 30 * 86_400) faults.push(`/retry/delaysSeconds/${i}: must be a positive number of seconds (at most 30 days); got ${JSON.stringify(d)}`);
          });
          options.retry.delaysSeconds = delays as number[];
        }
      }
      if (retry.timeoutMs !== undefined) {
        const t = retry.timeoutMs;
        if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 300_000) faults.push(`/retry/timeoutMs: must be a whole number of milliseconds from 1 to 300000; got ${JSON.stringify(t)}`);
        else options.retry.timeoutMs = t;
      }
    }
  }

  if (json.publicUrl !== undefined) {
    const url = httpUrl(json.publicUrl, '/publicUrl', 'the public base URL');
    if (url) options.publicUrl = url.replace(/\/+$/, '');
  }
  if (json.myTopicsUrl !== undefined) {
    const url = httpUrl(json.myTopicsUrl, '/myTopicsUrl', 'the "my topics" page');
    if (url) options.myTopicsUrl = url;
  }
  if (json.timeZone !== undefined) {
    if (!isTimeZone(json.timeZone)) faults.push(`/timeZone: ${JSON.stringify(json.timeZone)} is not an IANA time zone this Node knows (e.g. "Asia/Shanghai")`);
    else options.timeZone = json.timeZone;
  }
  if (json.tickMs !== undefined) {
    const t = json.tickMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 86_400_000) faults.push(`/tickMs: must be a whole number of milliseconds from 0 (never on its own) to 86400000; got ${JSON.stringify(t)}`);
    else options.tickMs = t;
  }
  return faults.length > 0 ? { faults } : { options, faults: [] };
}

/**
 * Reads a notify file for `loadOptions`: every fault goes to `problems` as `<file>#<pointer>: …`.
 * Undefined when no file is given or it has faults.
 */
export function readNotifyFile(file: string | undefined, readFile: (path: string) => string, problems: string[]): NotifyOptions | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    problems.push(`cannot read the notify file ${file} (--notify / CONSULT_NOTIFY): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message can quote the text around the error, which may be a secret.
    problems.push(`${file} (--notify / CONSULT_NOTIFY) is not JSON`);
    return undefined;
  }
  const parsed = parseNotifyOptions(json);
  if (parsed.options) return parsed.options;
  problems.push(...parsed.faults.map((fault) => `${file}#${fault}`));
  return undefined;
}
