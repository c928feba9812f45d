/**
 * The outbox (docs/server.md "Notifications"): notices become rows of `notice_outbox`, one per
 * notice × channel × target × recipient, in the transaction that derived them, and are delivered
 * from there by whichever process leases them.
 *
 * - `enqueueNotices` resolves each notice's audiences to recipients (the residents'
 *   subscriptions to the topic; the `--notify` directory for staff), renders the words now (the
 *   recipient's language for e-mail, both languages for webhooks) and inserts the rows. A row's
 *   id is a hash of the notice's key, the channel, the target and the recipient, so the same
 *   notice queued twice (a replayed catch-up, two processes) inserts nothing the second time.
 * - `deliverDue` claims due rows (`for update skip locked`, then a lease), sends each (a signed
 *   webhook, an e-mail), and marks it sent, or schedules the next try by the retry policy, or
 *   dead-letters it after the last (or at once when a receiver answers 410 Gone).
 *
 * Delivery is at least once: a process killed between a receiver's 2xx and the `sent` mark sends
 * that row again after its lease ends, with the same `webhook-id` / `Message-ID`, which is what a
 * receiver deduplicates on.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { renderNotice, type Audience, type Locale, type NoticeIntent, type RenderedNotice } from '@consult-kit/machine';
import type { Db, Queryable } from '../db/db.js';
import { meetingIcs } from './ics.js';
import { sendEmail, type EmailPayload, type MailSender, openMailSender } from './email.js';
import { sendWebhook, type WebhookBody } from './webhook.js';
import type { Attempt, EnqueueNotices, NotifyOptions, OutboxRecipient, WebhookEndpoint } from './types.js';

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

export type { Attempt, OutboxRecipient } from './types.js';

/** One resolved recipient, with the key its row id is hashed from. */
interface Resolved {
  key: string;
  recipient: OutboxRecipient;
  /** Which channels it may be reached on. */
  email: boolean;
  webhook: boolean;
}

// ---------------------------------------------------------------------------------------------
// Unsubscribe tokens

/** The secret's name in `server_secret`. */
const UNSUBSCRIBE_SECRET = 'notice-unsubscribe-hmac';

/**
 * The HMAC key unsubscribe tokens are derived from, kept in the database (made once, by the
 * first process that needs it), so the token need not be stored: only its hash is.
 */
export async function unsubscribeSecret(q: Queryable): Promise<string> {
  await q.query('insert into server_secret (name, value) values ($1, $2) on conflict (name) do nothing', [UNSUBSCRIBE_SECRET, randomBytes(32).toString('base64url')]);
  const [row] = await q.query<{ value: string }>('select value from server_secret where name = $1', [UNSUBSCRIBE_SECRET]);
  return row!.value;
}

/** A subscription's one-click unsubscribe token (43 characters, base64url). */
export function unsubscribeToken(secret: string, subscriptionId: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${subscriptionId}`).digest('base64url');
}

/** What `notice_subscription.token_hash` keeps of a token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The link every resident message carries. */
export function unsubscribeUrl(notify: NotifyOptions, token: string): string {
  return `${publicUrlOf(notify)}/api/unsubscribe/${token}`;
}

/** The public base URL (no trailing slash). */
export function publicUrlOf(notify: NotifyOptions): string {
  return (notify.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The footer a resident's e-mail ends with: the "my topics" page and the one-click unsubscribe. */
function residentFooter(locale: Locale, myTopics: string, unsubscribe: string): string {
  return locale === 'zh-CN'
    ? `\n\n—\n查看您关注的议题：${myTopics}\n不想再收到关于这个议题的消息？一键退订：${unsubscribe}\n`
    : `\n\n—\nFollow your topics: ${myTopics}\nNo more messages about this topic? Unsubscribe in one click: ${unsubscribe}\n`;
}

// ---------------------------------------------------------------------------------------------
// Enqueue

/** A row's id: `msg_` + 32 hex digits of SHA-256 over what makes it unique. */
export function outboxId(programmeId: string, noticeKey: string, channel: string, target: string, recipientKey: string): string {
  return `msg_${createHash('sha256').update([programmeId, noticeKey, channel, target, recipientKey].join('\n')).digest('hex').slice(0, 32)}`;
}

function endpointMatches(endpoint: WebhookEndpoint, programmeId: string, intent: NoticeIntent, audience: Audience): boolean {
  return (
    (!endpoint.triggers || endpoint.triggers.includes(intent.trigger)) &&
    (!endpoint.audiences || endpoint.audiences.includes(audience)) &&
    (!endpoint.programmes || endpoint.programmes.includes(programmeId))
  );
}

interface SubscriptionRow {
  id: string;
  channel: 'email' | 'sms';
  address: string;
  locale: Locale;
  [key: string]: unknown;
}

/** The recipients one audience of a notice resolves to. */
function resolve(audience: Audience, intent: NoticeIntent, programmeId: string, notify: NotifyOptions, subscriptions: readonly SubscriptionRow[]): Resolved[] {
  const { directory } = notify;
  const person = (id: string): Resolved | undefined => {
    const entry = Object.hasOwn(directory.people, id) ? directory.people[id] : undefined;
    if (!entry) return undefined;
    return {
      key: `person:${id}`,
      recipient: { audience, id, ...entry },
      email: entry.email !== undefined,
      webhook: true,
    };
  };
  switch (audience) {
    case 'resident':
      return subscriptions.map((s) => ({
        key: `subscription:${s.id}`,
        recipient: { audience, subscription: s.id, locale: s.locale, ...(s.channel === 'email' ? { email: s.address } : { phone: s.address }) },
        email: s.channel === 'email',
        webhook: s.channel === 'sms',
      }));
    case 'participants':
      return [...new Set(intent.participantIds ?? [])].map(person).filter((r): r is Resolved => r !== undefined);
    case 'department': {
      const party = intent.party;
      if (party === undefined || !Object.hasOwn(directory.parties, party)) return [];
      const entry = directory.parties[party]!;
      return [{ key: `party:${party}`, recipient: { audience, party, ...entry }, email: entry.email !== undefined, webhook: true }];
    }
    case 'convener':
    case 'supervisor': {
      const role = audience === 'convener' ? 'conveners' : 'supervisors';
      const ids = [...(directory.programmes[programmeId]?.[role] ?? []), ...(directory.programmes['*']?.[role] ?? [])];
      return [...new Set(ids)].map(person).filter((r): r is Resolved => r !== undefined);
    }
  }
}

interface NewRow {
  id: string;
  intent: NoticeIntent;
  audience: Audience;
  channel: 'webhook' | 'email';
  target: string;
  recipient: OutboxRecipient | { audience: Audience; party?: string };
  payload: unknown;
}

/**
 * Queues the notices in the caller's transaction (see the module comment); returns how many
 * rows were new. The same intents queued again insert nothing.
 */
export const enqueueNotices: EnqueueNotices = async (tx, scope, intents, notify) => {
  if (intents.length === 0) return 0;
  const { programmeId, config, nowMs } = scope;
  const rows: NewRow[] = [];
  const topics = [...new Set(intents.filter((i) => i.to.includes('resident')).map((i) => i.topicId))];
  const subscriptions = new Map<string, SubscriptionRow[]>();
  let secret: string | undefined;
  if (topics.length > 0) {
    const found = await tx.query<SubscriptionRow & { topic_id: string }>(
      `select id, topic_id, channel, address, locale from notice_subscription
        where programme_id = $1 and topic_id = any($2::text[]) and unsubscribed_ms is null order by created_ms, id`,
      [programmeId, topics],
    );
    for (const row of found) subscriptions.set(row.topic_id, [...(subscriptions.get(row.topic_id) ?? []), row]);
    if (found.length > 0) secret = await unsubscribeSecret(tx);
  }
  const myTopics = notify.myTopicsUrl ?? `${publicUrlOf(notify)}/`;

  for (const intent of intents) {
    const texts = Object.fromEntries(LOCALES.map((l) => [l, renderNotice(config, intent, l, { timeZone: notify.timeZone })])) as Record<Locale, RenderedNotice>;
    const ics = intent.meeting ? meetingIcs({ programmeId, intent, texts, locale: config.defaultLocale, from: notify.smtp?.from, nowMs }) : undefined;
    for (const audience of [...new Set(intent.to)]) {
      const resolved = resolve(audience, intent, programmeId, notify, subscriptions.get(intent.topicId) ?? []);
      const endpoints = notify.webhooks.filter((e) => endpointMatches(e, programmeId, intent, audience));
      const webhookBody = (recipient: NewRow['recipient'], unsubscribe?: string): WebhookBody => ({
        type: `notice.${intent.trigger}`,
        timestamp: intent.at,
        data: {
          programmeId,
          topicId: intent.topicId,
          noticeKey: intent.key,
          trigger: intent.trigger,
          audience,
          recipient,
          texts,
          vars: intent.vars,
          ...(intent.meeting ? { meeting: intent.meeting } : {}),
          ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
        },
      });
      if (!resolved.some((r) => r.webhook)) {
        // Nobody a webhook can address (nobody in the directory, or residents who opted in by
        // e-mail only): the city's system still hears the notice once, without any address, and
        // may route it by audience and party. E-mail recipients are served below.
        const recipient = { audience, ...(intent.party !== undefined && audience === 'department' ? { party: intent.party } : {}) };
        for (const endpoint of endpoints) {
          rows.push({
            id: outboxId(programmeId, intent.key, 'webhook', endpoint.id, `nobody:${audience}`),
            intent,
            audience,
            channel: 'webhook',
            target: endpoint.id,
            recipient,
            payload: { body: webhookBody(recipient) },
          });
        }
      }
      for (const r of resolved) {
        const unsubscribe = r.recipient.subscription && secret ? unsubscribeUrl(notify, unsubscribeToken(secret, r.recipient.subscription)) : undefined;
        if (r.email && notify.smtp && r.recipient.email) {
          const locale = r.recipient.locale ?? config.defaultLocale ?? 'zh-CN';
          const words = texts[locale];
          const payload: EmailPayload = {
            to: r.recipient.email,
            locale,
            subject: words.subject,
            text: words.text + (unsubscribe ? residentFooter(locale, myTopics, unsubscribe) : '\n'),
            ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
            ...(ics ? { ics } : {}),
          };
          rows.push({ id: outboxId(programmeId, intent.key, 'email', 'smtp', r.key), intent, audience, channel: 'email', target: 'smtp', recipient: r.recipient, payload });
        }
        if (r.webhook) {
          for (const endpoint of endpoints) {
            rows.push({
              id: outboxId(programmeId, intent.key, 'webhook', endpoint.id, r.key),
              intent,
              audience,
              channel: 'webhook',
              target: endpoint.id,
              recipient: r.recipient,
              payload: { body: webhookBody(r.recipient, unsubscribe) },
            });
          }
        }
      }
    }
  }

  let inserted = 0;
  for (const row of rows) {
    const result = await tx.query<{ id: string }>(
      `insert into notice_outbox (id, programme_id, topic_id, notice_key, trigger, audience, channel, target, recipient, payload, next_at_ms, created_ms)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       on conflict (id) do nothing returning id`,
      [row.id, programmeId, row.intent.topicId, row.intent.key, row.intent.trigger, row.audience, row.channel, row.target, JSON.stringify(row.recipient), JSON.stringify(row.payload), nowMs],
    );
    inserted += result.length;
  }
  return inserted;
};

// ---------------------------------------------------------------------------------------------
// Deliver

/** Where delivery failures are told (the app's logger); never given personal data. */
export interface NoticeLog {
  warn(object: Record<string, unknown>, message: string): void;
  info?(object: Record<string, unknown>, message: string): void;
}

/** What `deliverDue` needs: the notify options (AppOptions fits) and, optionally, a log. */
export interface DeliverOptions {
  notify?: NotifyOptions | undefined;
  log?: NoticeLog | undefined;
  /**
   * Rows claimed per round (default 16: two sends per worker, so one round takes at most two
   * timeouts); rounds go on until nothing is due, `maxRows` were tried or `budgetMs` passed.
   */
  batch?: number;
  /** At most this many rows per call (default 1000). */
  maxRows?: number;
  /** Rows sent at once (default 8). */
  concurrency?: number;
  /**
   * No new round starts after this much time (wall clock, ms; default 15,000), so receivers that
   * time out delay the clock's next tick by little; what is left goes in the next call.
   */
  budgetMs?: number;
}

/** What one `deliverDue` call did. */
export interface DeliveryReport {
  /** Rows tried. */
  attempted: number;
  sent: number;
  /** Failed this time, tried again later. */
  retried: number;
  /** Dead-lettered this time. */
  dead: number;
}

/** The result of one attempt (webhook.ts, email.ts). */

interface ClaimedRow {
  id: string;
  programme_id: string;
  channel: 'webhook' | 'email';
  target: string;
  payload: unknown;
  attempts: number;
  lease_until_ms: number;
  [key: string]: unknown;
}

/**
 * Claims the rows due at `nowMs` and sends them (see the module comment). Never throws for a
 * failed delivery: it is recorded on its row. Rows whose endpoint left the notify file, or
 * e-mail rows when SMTP is no longer configured, wait (pending) until the channel is back, but
 * count as failed attempts so they end as dead letters an operator sees.
 */
export async function deliverDue(db: Db, options: DeliverOptions, nowMs: number): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempted: 0, sent: 0, retried: 0, dead: 0 };
  const notify = options.notify;
  if (!notify) return report;
  const batch = options.batch ?? 16;
  const maxRows = options.maxRows ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const until = Date.now() + (options.budgetMs ?? 15_000);
  const { delaysSeconds, timeoutMs } = notify.retry;
  // Long enough for the whole claimed batch (sent `concurrency` at a time, each bounded by the
  // timeout) and the marks after it; once it ends another process may take the rows again.
  const leaseMs = (Math.ceil(batch / concurrency) + 2) * timeoutMs + 5_000;
  let mail: MailSender | undefined;
  try {
    while (report.attempted < maxRows && Date.now() < until) {
      const claimed = await db.query<ClaimedRow>(
        `update notice_outbox set lease_until_ms = $2, attempts = attempts + 1
          where id in (select id from notice_outbox
                        where state = 'pending' and next_at_ms <= $1 and (lease_until_ms is null or lease_until_ms <= $1)
                        order by next_at_ms, id limit $3 for update skip locked)
            and state = 'pending'
          returning id, programme_id, channel, target, payload, attempts, lease_until_ms`,
        [nowMs, nowMs + leaseMs, Math.min(batch, maxRows - report.attempted)],
      );
      if (claimed.length === 0) break;
      report.attempted += claimed.length;
      const queue = [...claimed];
      const work = async (): Promise<void> => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          let attempt: Attempt;
          try {
            if (row.channel === 'webhook') {
              const endpoint = notify.webhooks.find((e) => e.id === row.target);
              attempt = endpoint
                ? await sendWebhook(endpoint, row.id, (row.payload as { body: WebhookBody }).body, timeoutMs)
                : { ok: false, error: `no webhook endpoint "${row.target}" in the notify file` };
            } else if (notify.smtp) {
              mail ??= openMailSender(notify.smtp, timeoutMs);
              attempt = await sendEmail(mail, notify, row.id, row.payload as EmailPayload, timeoutMs);
            } else attempt = { ok: false, error: 'no SMTP server in the notify file' };
          } catch (error) {
            attempt = { ok: false, error: `unexpected: ${(error as Error).name}` };
          }
          await finish(db, row, attempt, nowMs, delaysSeconds, report, options.log);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, work));
    }
  } finally {
    mail?.close();
  }
  return report;
}

async function finish(db: Db, row: ClaimedRow, attempt: Attempt, nowMs: number, delaysSeconds: readonly number[], report: DeliveryReport, log: NoticeLog | undefined): Promise<void> {
  const mine = 'id = $1 and lease_until_ms = $2 and state = $3';
  if (attempt.ok) {
    await db.query(`update notice_outbox set state = 'sent', sent_ms = $4, lease_until_ms = null, last_error = null where ${mine}`, [row.id, row.lease_until_ms, 'pending', nowMs]);
    report.sent += 1;
    return;
  }
  const last = attempt.gone || row.attempts > delaysSeconds.length;
  if (last) {
    await db.query(`update notice_outbox set state = 'dead', lease_until_ms = null, last_error = $4 where ${mine}`, [row.id, row.lease_until_ms, 'pending', attempt.error]);
    report.dead += 1;
  } else {
    const next = nowMs + Math.round(delaysSeconds[row.attempts - 1]! * 1000);
    await db.query(`update notice_outbox set next_at_ms = $4, lease_until_ms = null, last_error = $5 where ${mine}`, [row.id, row.lease_until_ms, 'pending', next, attempt.error]);
    report.retried += 1;
  }
  log?.warn({ notice: row.id, channel: row.channel, target: row.target, attempts: row.attempts, dead: last, error: attempt.error }, last ? 'notice dead-lettered' : 'notice delivery failed; will retry');
}

// ---------------------------------------------------------------------------------------------
// Operator: list and replay

/** Outbox states an operator lists. */
export const OUTBOX_STATES = ['pending', 'sent', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Queues dead rows again (attempts from 0, due now); returns how many. */
export async function replayNotices(db: Queryable, programmeId: string, nowMs: number, id?: string): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `update notice_outbox set state = 'pending', attempts = 0, next_at_ms = $2, lease_until_ms = null
      where programme_id = $1 and state = 'dead' ${id === undefined ? '' : 'and id = $3'} returning id`,
    id === undefined ? [programmeId, nowMs] : [programmeId, nowMs, id],
  );
  return rows.length;
}
