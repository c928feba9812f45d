/**
 * Service requests from topics, and topics from service requests.
 *
 * - Reading: a request is built from the topic's row of the topic index (`TopicSummary`), the
 *   same projection the public outcomes board reads, so it carries no personal value by
 *   construction: no location, no name, phone or e-mail (the spec's `address`, `lat`, `long` and
 *   `media_url` are left out), and a title or description only when the form does not mark it
 *   personal.
 * - Writing: `submissionOf` turns the POST's parameters into a `topic.submit` with source
 *   `open311`, its id (the Idempotency-Key) and topic id derived from what was sent, so a
 *   client's retry of the same content is the same event.
 */
import { categoryField, type FormField, type Locale, type LocalizedText, type TopicSummary, type WorkflowConfig } from '@consult-kit/machine';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { EventSubmission } from '../contract.js';
import type { ProgrammeConfig } from '../programmes.js';
import { Open311Error } from './format.js';
import { attributeFields, CODE_SEPARATOR, localized, OPEN311_SOURCE, standardFields, type Service } from './services.js';

/** Our top states that GeoReport v2 calls `closed`; every other is `open`. */
export const CLOSED_STATUSES = ['rejected', 'merged', 'redirected', 'withdrawn', 'closed', 'unresolved'] as const;
/** Our top states that GeoReport v2 calls `open`. */
export const OPEN_STATUSES = ['screening', 'research', 'meeting', 'handling', 'evaluation'] as const;

const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** What each top state tells the person who raised it. */
const STATUS_NOTES: Readonly<Record<string, LocalizedText>> = {
  screening: t('已受理，正在选题', 'Received; being screened'),
  rejected: t('未列入协商', 'Not taken up for consultation'),
  merged: t('已与同类议题合并', 'Merged with a topic on the same matter'),
  redirected: t('已转交其他渠道办理', 'Passed on to another channel'),
  withdrawn: t('已撤回', 'Withdrawn'),
  research: t('正在调研', 'Being researched'),
  meeting: t('正在协商议事', 'In consultation'),
  handling: t('协商成果办理中', "The meeting's measures are being carried out"),
  evaluation: t('已反馈结果，正在评价', 'Result reported; being rated'),
  closed: t('已办结', 'Closed'),
  unresolved: t('未解决，已结束', 'Ended without a solution'),
};

const REASON = t('理由', 'Reason');
const FEEDBACK = t('反馈', 'Feedback');
const NOTICE = t(
  '议题先经选题，列入的将组织协商议事，协商成果交责任单位办理，办理结果向您反馈。',
  'A topic is screened first; one taken up is consulted on at a meeting, the measures agreed go to the parties responsible, and you hear how it was handled.',
);

/** The spec's `service_notice` for a programme. */
export function serviceNotice(locale: Locale): string {
  return localized(NOTICE, locale);
}

/** `open` or `closed`. */
export function open311Status(status: string): 'open' | 'closed' {
  return (CLOSED_STATUSES as readonly string[]).includes(status) ? 'closed' : 'open';
}

/** A request's id: the programme and the topic (`wuxi-youshi-haoshangliang:o311-…`). */
export function requestId(programmeId: string, topicId: string): string {
  return `${programmeId}${CODE_SEPARATOR}${topicId}`;
}

/** A request id's programme and topic, or undefined when it cannot be one. */
export function parseRequestId(id: string): { programmeId: string; topicId: string } | undefined {
  const at = id.indexOf(CODE_SEPARATOR);
  if (at <= 0 || at === id.length - 1) return undefined;
  return { programmeId: id.slice(0, at), topicId: id.slice(at + 1) };
}

/** The spec's `status_notes`: what the top state means, the screening's reason, the feedback. */
function statusNotes(summary: TopicSummary, locale: Locale): string {
  const parts = [localized(STATUS_NOTES[summary.status], locale) || summary.status];
  if (summary.screening?.reason && (summary.status === 'rejected' || summary.status === 'redirected' || summary.status === 'merged')) {
    parts.push(`${localized(REASON, locale)}: ${summary.screening.reason}`);
  }
  if (summary.feedback?.text) parts.push(`${localized(FEEDBACK, locale)}: ${summary.feedback.text}`);
  return parts.join(locale === 'zh-CN' ? '；' : '; ');
}

/** Who is responsible: the parties of the agreed measures, else the room, else the programme. */
function agencyResponsible(programme: ProgrammeConfig, summary: TopicSummary, locale: Locale): string {
  const known = programme.config.step.handling.parties;
  const parties = [...new Set(summary.measures.map((m) => m.party).filter((p) => typeof p === 'string' && p !== ''))].map((id) => localized(known.find((k) => k.id === id)?.label, locale) || id);
  if (parties.length > 0) return parties.join(locale === 'zh-CN' ? '、' : ', ');
  const room = summary.room ? programme.config.rooms?.list.find((r) => r.id === summary.room) : undefined;
  return localized(room?.name ?? programme.config.title, locale);
}

/** The service a topic belongs to (its programme and category). */
export function serviceCodeOf(programme: ProgrammeConfig, summary: TopicSummary): string {
  const field = categoryField(programme.config);
  return field?.options?.length && summary.category ? `${programme.id}${CODE_SEPARATOR}${summary.category}` : programme.id;
}

function serviceNameOf(programme: ProgrammeConfig, summary: TopicSummary, locale: Locale): string {
  const option = categoryField(programme.config)?.options?.find((o) => o.value === summary.category);
  return localized(option?.label ?? programme.config.title, locale);
}

/** A topic as a GeoReport v2 service request (from its index row: no personal value). */
export function requestOf(programme: ProgrammeConfig, summary: TopicSummary, locale: Locale): Record<string, unknown> {
  const due = summary.measures
    .filter((m) => typeof m.due === 'string' && m.status !== 'implemented' && m.status !== 'declined')
    .map((m) => m.due as string)
    .sort()[0];
  return {
    service_request_id: requestId(programme.id, summary.topicId),
    status: open311Status(summary.status),
    status_notes: statusNotes(summary, locale),
    service_name: serviceNameOf(programme, summary, locale),
    service_code: serviceCodeOf(programme, summary),
    description: summary.description,
    agency_responsible: agencyResponsible(programme, summary, locale),
    service_notice: serviceNotice(locale),
    requested_datetime: summary.submittedAt,
    updated_datetime: summary.updatedAt,
    ...(due ? { expected_datetime: due } : {}),
  };
}

// ── Writing ────────────────────────────────────────────────────────────────────────────────

/** The POST's parameters, each a text or (for `attribute[x][]`) a list of texts. */
export type Params = Record<string, string | string[]>;

/** A parameter given once (the first when repeated), trimmed; undefined when absent or blank. */
export function param(params: Params, name: string): string | undefined {
  const raw = params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const text = value?.trim();
  return text ? text : undefined;
}

/** `attribute[x]` and `attribute[x][]` parameters by attribute code. */
export function attributesOf(params: Params): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [key, raw] of Object.entries(params)) {
    const match = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (!match) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => v.trim()).filter((v) => v !== '');
    found.set(match[1]!, [...(found.get(match[1]!) ?? []), ...values]);
  }
  return found;
}

function bad(description: string): Open311Error {
  return new Open311Error(400, description);
}

/** An attribute's texts as the field's value. */
function fieldValue(field: FormField, texts: string[]): unknown {
  const one = texts.at(-1)!;
  switch (field.type) {
    case 'number': {
      const n = Number(one);
      if (!/^-?\d+(\.\d+)?$/.test(one) || !Number.isFinite(n)) throw bad(`attribute[${field.name}] must be a number.`);
      return n;
    }
    case 'consent':
      if (one !== 'true') throw bad(`attribute[${field.name}] must be true (consent given).`);
      return true;
    case 'checkbox':
      if (field.options) return texts;
      if (one !== 'true' && one !== 'false') throw bad(`attribute[${field.name}] must be true or false.`);
      return one === 'true';
    case 'date':
      // The spec's datetime (ISO 8601) down to the form's date.
      return /^\d{4}-\d{2}-\d{2}/.test(one) ? one.slice(0, 10) : one;
    default:
      return one;
  }
}

/** A decimal degree within its range, or undefined. */
function degrees(text: string | undefined, limit: number): number | undefined {
  if (text === undefined || !/^[-+]?\d{1,3}(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Math.abs(n) <= limit ? n : undefined;
}

/** The title the topic gets when none is sent: the description's first line, cut to the field's length. */
function titleFrom(description: string, field: FormField): string {
  const line = [...(description.split(/\r?\n/)[0] ?? '').trim()];
  const max = field.maxLength ?? 60;
  return line.length <= max ? line.join('') : `${line.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * The form's values of a POST: `description`, the location (`lat`/`long` or `address_string`),
 * the submitter's `first_name`/`last_name`, `phone`, `email` into the fields they fill (dropped
 * when the form has none: nothing is kept that the form does not ask for), the category of the
 * service, and each `attribute[code]` into its field. Throws 400s for what the spec requires.
 */
export function valuesOf(service: Service, params: Params): Record<string, unknown> {
  const { config } = service.programme;
  const fields = standardFields(config);
  const values: Record<string, unknown> = {};

  const lat = param(params, 'lat');
  const long = param(params, 'long');
  const address = param(params, 'address_string') ?? param(params, 'address_id');
  if (lat !== undefined || long !== undefined) {
    const la = degrees(lat, 90);
    const lo = degrees(long, 180);
    if (la === undefined || lo === undefined) throw bad('lat and long must both be given, as decimal degrees (WGS84).');
  } else if (address === undefined) {
    throw bad('A location is required: lat and long, or address_string.');
  }
  if (fields.location) values[fields.location.name] = address !== undefined ? (lat !== undefined ? `${address} (${lat},${long})` : address) : `${lat},${long}`;

  const description = param(params, 'description');
  if (description !== undefined) {
    if (!fields.description) throw bad('This service takes no description; send its attributes.');
    values[fields.description.name] = description;
  }
  if (service.category !== undefined && fields.category) values[fields.category.name] = service.category;

  const name = [param(params, 'first_name'), param(params, 'last_name')].filter((s) => s !== undefined).join(' ');
  if (name && fields.name) values[fields.name.name] = name;
  const phone = param(params, 'phone');
  if (phone !== undefined && fields.phone) values[fields.phone.name] = phone.replace(/[\s-]/g, '');
  const email = param(params, 'email');
  if (email !== undefined && fields.email) values[fields.email.name] = email;

  const allowed = new Map(attributeFields(config).map((f) => [f.name, f]));
  for (const [code, texts] of attributesOf(params)) {
    const field = allowed.get(code);
    if (!field) throw bad(`attribute[${code}] is not an attribute of service ${service.code}; its definition (services/${service.code}.json) lists them.`);
    if (texts.length > 0) values[field.name] = fieldValue(field, texts);
  }
  if (fields.title && values[fields.title.name] === undefined) {
    if (description === undefined) throw bad('description is required (the topic\'s title is taken from it when attribute[title] is not sent).');
    values[fields.title.name] = titleFrom(description, fields.title);
  }
  return values;
}

/**
 * The key of a POST: a hash of the service, who sends it and what it holds (or of an
 * `Idempotency-Key` the client sends, an extension of the spec): the same content from the same
 * sender is one topic, however often it is sent.
 */
export function requestKey(service: Service, sender: string, values: Record<string, unknown>, clientKey: string | undefined): string {
  const basis = clientKey === undefined ? canonicalJson({ service: service.code, sender, values }) : canonicalJson({ service: service.code, sender, clientKey });
  return sha256Hex(`open311\n${basis}`).slice(0, 32);
}

/** The `topic.submit` of a POST. */
export function submissionOf(service: Service, values: Record<string, unknown>, key: string, role: string, at: string): EventSubmission {
  return {
    id: `o311-${key}`,
    topicId: `o311-${key.slice(0, 20)}`,
    event: { type: 'topic.submit', source: OPEN311_SOURCE, values },
    by: { role },
    at,
  } as unknown as EventSubmission;
}

/** The role a sender submits as: resident without a key; with one, its resident role or the first role allowed to submit. */
export function submitRole(config: WorkflowConfig, roles: readonly string[] | undefined): string | undefined {
  if (roles === undefined) return 'resident';
  if (roles.includes('resident')) return 'resident';
  const allowed: readonly string[] = config.permissions['topic.submit'] ?? [];
  return roles.find((r) => allowed.includes(r));
}
