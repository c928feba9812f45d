/**
 * What the server's notification parts share (docs/server.md, "Notifications"):
 *
 * - `jobs.ts` (the clock): derives timers and event notices from the log as topics are indexed,
 *   fires due timers (`measure.*`, `meeting.reminder`, `rating.closing` → notices;
 *   `evaluation.end` → a logged `evaluation.close` by the system actor), marks overdue topics.
 * - `outbox.ts` (the channels): resolves a notice's audiences to recipients (the residents'
 *   subscriptions, the directory of `--notify`), queues one outbox row per channel × recipient,
 *   and delivers them: webhooks signed per Standard Webhooks, e-mail over SMTP with an .ics for
 *   meetings; retries with backoff, dead letters, replay.
 *
 * The workflow config (public) says what is told to whom in which words; the notify file
 * (`--notify`, private: secrets and addresses) says where it goes.
 */
import type { Audience, Locale, NoticeIntent, NoticeTrigger, WorkflowConfig } from '@consult-kit/machine';
import type { Queryable } from '../db/db.js';

/** One webhook endpoint of the city's own systems (SMS gateway, 12345 hotline, case system…). */
export interface WebhookEndpoint {
  /** A short id, shown in the dead-letter list and part of each message's id. */
  id: string;
  /** Where to POST (https:, or http: for a host on the city's own network). */
  url: string;
  /** The Standard Webhooks secret, `whsec_` + base64 of 24 to 64 random bytes. */
  secret: string;
  /** Only these triggers (default: all). */
  triggers?: NoticeTrigger[];
  /** Only notices to these audiences (default: all). */
  audiences?: Audience[];
  /** Only these programmes (default: all). */
  programmes?: string[];
}

/** Someone on the staff side the server may write to. */
export interface DirectoryEntry {
  email?: string;
  /** E.164 phone, passed to webhooks (an SMS gateway) — the server sends no SMS itself. */
  phone?: string;
  name?: string;
  locale?: Locale;
}

/** Where staff notices go: addresses are personal data, so they live here, not in the public config. */
export interface Directory {
  /** By the principal's id (`by.id` / a meeting participant's `id`). */
  people: Record<string, DirectoryEntry>;
  /** A responsible party (a handling step's `parties[].id`, or a measure's free-text party) → its desk. */
  parties: Record<string, DirectoryEntry>;
  /** Per programme id (`*` for every programme): who its conveners and supervisors (督办) are, by people id. */
  programmes: Record<string, { conveners?: string[]; supervisors?: string[] }>;
}

/** Retry schedule for a failed delivery. */
export interface RetryPolicy {
  /** Delays after each failed attempt, in seconds (default 30, 120, 600, 3600, 21600): its length + 1 attempts in all, then dead. */
  delaysSeconds: number[];
  /** How long one attempt may take, in ms (default 10,000): a slower receiver counts as failed. */
  timeoutMs: number;
}

/** The parsed `--notify` file, every default applied. */
export interface NotifyOptions {
  webhooks: WebhookEndpoint[];
  /** SMTP: `smtp://` or `smtps://` URL (may hold user:password), the From address. Absent: no e-mail. */
  smtp?: { url: string; from: string };
  directory: Directory;
  retry: RetryPolicy;
  /**
   * The public base URL people reach the server at (unsubscribe links, "my topics" link);
   * default `http://localhost:<port>`.
   */
  publicUrl?: string;
  /** The portal page residents follow their topics on (linked from every resident message); default `<publicUrl>/`. */
  myTopicsUrl?: string;
  /** IANA time zone times are written in (default Asia/Shanghai). */
  timeZone: string;
  /** How often the clock ticks, in ms (default 15,000; 0: never on its own — tests call `tick`). */
  tickMs: number;
}

/** Where an enqueue runs: the programme and its checked config. */
export interface NoticeScope {
  programmeId: string;
  config: WorkflowConfig;
  /** The clock's now (epoch ms): the outbox rows' `created_ms` and first `next_at_ms`. */
  nowMs: number;
}

/**
 * Queues the notices (resolving recipients and channels) in the caller's transaction; returns
 * how many outbox rows were new. Implemented in outbox.ts; the clock (jobs.ts) calls it.
 */
export type EnqueueNotices = (tx: Queryable, scope: NoticeScope, intents: readonly NoticeIntent[], notify: NotifyOptions) => Promise<number>;

/** Who a row goes to, as stored in `notice_outbox.recipient` (personal: erased with the topic). */
export interface OutboxRecipient {
  audience: Audience;
  /** A directory person's id. */
  id?: string;
  /** The party (department) it is for. */
  party?: string;
  /** The resident's subscription. */
  subscription?: string;
  name?: string;
  email?: string;
  phone?: string;
  locale?: Locale;
}

/** The outcome of one delivery attempt; `gone` when the recipient no longer exists (410, unknown address). */
export type Attempt = { ok: true } | { ok: false; error: string; gone?: boolean };
