/**
 * Notification routes (docs/api/openapi.yaml, tag "notifications"): a resident's opt-in for one
 * topic by its follow code, the one-click unsubscribe every message links to, and the operator's
 * outbox (dead letters, replay).
 *
 * - `POST|GET /programmes/{p}/follow/{code}/subscriptions`, `POST …/subscriptions/{id}/cancel`:
 *   the follow code's checks and limits as `GET /programmes/{p}/follow/{code}`. Addresses are
 *   answered masked (`l***@example.org`, `138****5678`), never in full.
 * - `GET /unsubscribe/{token}`: unsubscribes at once and answers a small bilingual page with an
 *   Undo button; `POST /unsubscribe/{token}` is the RFC 8058 one-click POST mail clients send;
 *   `POST /unsubscribe/{token}/undo` subscribes again. Strict CSP: no script, the one style by hash.
 * - `GET /programmes/{p}/notices`, `POST …/notices/{id}/replay`, `POST …/notices/replay`: admin
 *   tokens only; recipients masked.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Locale } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { authorizeAdmin } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import type { Queryable } from '../db/db.js';
import { EMAIL_PATTERN, PHONE_PATTERN } from '../notifications/options.js';
import { OUTBOX_STATES, replayNotices, tokenHash, unsubscribeSecret, unsubscribeToken, type OutboxState } from '../notifications/outbox.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { checkRequestFollowCode } from '../events/routes.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

/** Active subscriptions one topic may have (one resident's e-mail and phone, and a few more). */
export const MAX_SUBSCRIPTIONS_PER_TOPIC = 10;

/** `l***@example.org`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
}

/** `138****5678` (a mainland mobile, also written +86…), `+44*******0123` otherwise. */
export function maskPhone(phone: string): string {
  const local = phone.startsWith('+86') && phone.length === 14 ? phone.slice(3) : phone;
  if (/^1\d{10}$/.test(local)) return `${local.slice(0, 3)}****${local.slice(-4)}`;
  return `${local.slice(0, 3)}${'*'.repeat(Math.max(1, local.length - 7))}${local.slice(-4)}`;
}

/** An address as stored: e-mail lower case, a mainland mobile as E.164 (+86…), so one address is one subscription. */
export function normaliseAddress(channel: 'email' | 'sms', address: string): string {
  const trimmed = address.trim();
  if (channel === 'email') return trimmed.toLowerCase();
  const phone = trimmed.replace(/[\s-]/g, '');
  return /^1[3-9]\d{9}$/.test(phone) ? `+86${phone}` : phone;
}

interface SubscriptionRow {
  id: string;
  channel: 'email' | 'sms';
  address: string;
  locale: Locale;
  created_ms: number;
  unsubscribed_ms: number | null;
  [key: string]: unknown;
}

/** A subscription as answered: the address masked. */
function shown(row: SubscriptionRow) {
  return {
    id: row.id,
    channel: row.channel,
    address: row.channel === 'email' ? maskEmail(row.address) : maskPhone(row.address),
    locale: row.locale,
    createdAt: new Date(Number(row.created_ms)).toISOString(),
  };
}

const fault = (pointer: string, message: string) => new Problem('invalid-request', message, { errors: [{ pointer, message }] });

/** The checked body of an opt-in; throws the 400 naming the member at fault. */
function subscriptionBody(body: unknown, defaultLocale: Locale): { channel: 'email' | 'sms'; address: string; locale: Locale } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fault('', 'The body must be a JSON object { "channel": "email" or "sms", "address": "…", "locale": "zh-CN" or "en" }.');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !['channel', 'address', 'locale'].includes(k));
  if (unknown !== undefined) throw fault(`/${unknown.replace(/~/g, '~0').replace(/\//g, '~1')}`, `The body has no member "${unknown}"; give channel, address and locale.`);
  if (b.channel !== 'email' && b.channel !== 'sms') throw fault('/channel', 'channel must be "email" or "sms".');
  if (b.locale !== undefined && b.locale !== 'zh-CN' && b.locale !== 'en') throw fault('/locale', 'locale must be "zh-CN" or "en".');
  // The message never repeats the address: it is personal, and error answers get logged.
  if (typeof b.address !== 'string' || b.address.length > 254) throw fault('/address', b.channel === 'email' ? 'address must be an e-mail address.' : 'address must be a phone number.');
  const address = normaliseAddress(b.channel, b.address);
  if (b.channel === 'email' && !EMAIL_PATTERN.test(address)) throw fault('/address', 'address is not an e-mail address (like name@example.org).');
  if (b.channel === 'sms' && !PHONE_PATTERN.test(address)) throw fault('/address', 'address is not a phone number: give a mainland mobile (13812345678) or an international number starting with + (E.164).');
  return { channel: b.channel, address, locale: (b.locale as Locale | undefined) ?? defaultLocale };
}

/** Marks a subscription's queued, unsent messages as not to be sent (they held its address). */
async function dropQueued(q: Queryable, programmeId: string, subscriptionId: string): Promise<void> {
  await q.query(
    `update notice_outbox set state = 'erased', recipient = '{}'::json, payload = '{}'::json, last_error = 'the resident unsubscribed', lease_until_ms = null
      where programme_id = $1 and state in ('pending', 'dead') and recipient->>'subscription' = $2`,
    [programmeId, subscriptionId],
  );
}

// ---------------------------------------------------------------------------------------------
// The unsubscribe page

const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.25rem}p{margin:.5rem 0}button{font:inherit;padding:.4rem 1rem}hr{border:0;border-top:1px solid #ccc;margin:1.5rem 0}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

/** The page's CSP: nothing but its one style (by hash) and forms back to this server. */
export const UNSUBSCRIBE_CSP = `default-src 'none'; style-src ${STYLE_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface PageText {
  title: string;
  zh: string[];
  en: string[];
  /** The Undo (or Unsubscribe again) form. */
  form?: { action: string; zh: string; en: string };
}

function sendPage(reply: FastifyReply, status: number, page: PageText): FastifyReply {
  const para = (lines: string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const form = page.form
    ? `<form method="post" action="${escapeHtml(page.form.action)}"><button type="submit">${escapeHtml(page.form.zh)} / ${escapeHtml(page.form.en)}</button></form>`
    : '';
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(page.title)}</title><style>${PAGE_STYLE}</style></head><body>` +
    `<main><section lang="zh-CN">${para(page.zh)}</section><hr><section lang="en">${para(page.en)}</section>${form}</main></body></html>`;
  return reply
    .code(status)
    .header('Content-Security-Policy', UNSUBSCRIBE_CSP)
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(html);
}

const NOT_FOUND_PAGE: PageText = {
  title: '链接无效 / Link not valid',
  zh: ['这个退订链接无效或已失效。如果您仍收到消息，请回复消息或联系发送方。'],
  en: ['This unsubscribe link is not valid or no longer works. If you still get messages, reply to one or contact the sender.'],
};

/** The subscription a token belongs to, with what the page names (the programme and topic). */
async function byToken(db: Queryable, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const [row] = await db.query<{ id: string; programme_id: string; topic_id: string; unsubscribed_ms: number | null; title: unknown; programme_title: unknown }>(
    `select s.id, s.programme_id, s.topic_id, s.unsubscribed_ms, t.summary->'title' as title, (p.config::json)->'title' as programme_title
       from notice_subscription s
       join programme p on p.id = s.programme_id
       left join topic_index t on t.programme_id = s.programme_id and t.topic_id = s.topic_id
      where s.token_hash = $1`,
    [tokenHash(token)],
  );
  return row;
}

/** How the page names the topic: its title when it has a shareable one, else its id. */
function topicName(row: { topic_id: string; title: unknown; programme_title: unknown }, locale: Locale): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string' && value !== '') return value;
    if (value && typeof value === 'object') {
      const text = (value as Record<string, unknown>)[locale];
      if (typeof text === 'string' && text !== '') return text;
    }
    return undefined;
  };
  const title = pick(row.title);
  const programme = pick(row.programme_title);
  const topic = title ? (locale === 'zh-CN' ? `“${title}”` : `“${title}”`) : row.topic_id;
  return programme ? (locale === 'zh-CN' ? `${programme}的议题${topic}` : `the topic ${topic} of ${programme}`) : topic;
}

// ---------------------------------------------------------------------------------------------

/** Registers the notification routes. */
export async function notificationRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  const now = () => (options.clock?.() ?? new Date()).getTime();

  // ----- subscriptions, by follow code
  app.post<{ Params: ProgrammeParams & { code: string } }>('/programmes/:programmeId/follow/:code/subscriptions', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const match = await checkRequestFollowCode(db, options, request, programme.id, request.params.code);
    reply.header('Cache-Control', 'no-store');
    const wanted = subscriptionBody(request.body, programme.config.defaultLocale ?? 'zh-CN');
    // A channel this server cannot reach the resident on is refused, not kept for nothing.
    const notify = options.notify;
    const offered =
      wanted.channel === 'email'
        ? notify?.smtp !== undefined
        : (notify?.webhooks ?? []).some((e) => (!e.audiences || e.audiences.includes('resident')) && (!e.programmes || e.programmes.includes(programme.id)));
    if (!offered) {
      throw fault('/channel', wanted.channel === 'email' ? 'This server sends no e-mail (no SMTP server is configured); choose another channel.' : 'This server has no SMS gateway for residents (no webhook takes resident notices); choose another channel.');
    }
    const result = await db.transaction(async (tx) => {
      const [existing] = await tx.query<SubscriptionRow>(
        'select id, channel, address, locale, created_ms, unsubscribed_ms from notice_subscription where programme_id = $1 and topic_id = $2 and channel = $3 and address = $4 for update',
        [programme.id, match.topicId, wanted.channel, wanted.address],
      );
      if (existing) {
        if (existing.unsubscribed_ms !== null || existing.locale !== wanted.locale) {
          await tx.query('update notice_subscription set unsubscribed_ms = null, locale = $2 where id = $1', [existing.id, wanted.locale]);
        }
        return { status: 200, row: { ...existing, locale: wanted.locale, unsubscribed_ms: null } };
      }
      const [count] = await tx.query<{ n: number }>('select count(*)::int as n from notice_subscription where programme_id = $1 and topic_id = $2 and unsubscribed_ms is null', [
        programme.id,
        match.topicId,
      ]);
      if ((count?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_TOPIC) throw fault('', `A topic may have at most ${MAX_SUBSCRIPTIONS_PER_TOPIC} subscriptions; cancel one first.`);
      const id = `sub_${randomUUID().replace(/-/g, '')}`;
      const secret = await unsubscribeSecret(tx);
      const row: SubscriptionRow = { id, channel: wanted.channel, address: wanted.address, locale: wanted.locale, created_ms: now(), unsubscribed_ms: null };
      await tx.query(
        'insert into notice_subscription (id, programme_id, topic_id, channel, address, locale, token_hash, created_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)',
        [id, programme.id, match.topicId, row.channel, row.address, row.locale, tokenHash(unsubscribeToken(secret, id)), row.created_ms],
      );
      return { status: 201, row };
    });
    request.log.info({ programme: programme.id, subscription: result.row.id, channel: result.row.channel, created: result.status === 201 }, 'notice subscription');
    return reply.code(result.status).send(shown(result.row));
  });

  app.get<{ Params: ProgrammeParams & { code: string } }>('/programmes/:programmeId/follow/:code/subscriptions', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const match = await checkRequestFollowCode(db, options, request, programme.id, request.params.code);
    reply.header('Cache-Control', 'no-store');
    const rows = await db.query<SubscriptionRow>(
      'select id, channel, address, locale, created_ms, unsubscribed_ms from notice_subscription where programme_id = $1 and topic_id = $2 and unsubscribed_ms is null order by created_ms, id',
      [programme.id, match.topicId],
    );
    return { items: rows.map(shown) };
  });

  app.post<{ Params: ProgrammeParams & { code: string; id: string } }>('/programmes/:programmeId/follow/:code/subscriptions/:id/cancel', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const match = await checkRequestFollowCode(db, options, request, programme.id, request.params.code);
    reply.header('Cache-Control', 'no-store');
    const found = await db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        'update notice_subscription set unsubscribed_ms = coalesce(unsubscribed_ms, $4) where programme_id = $1 and topic_id = $2 and id = $3 returning id',
        [programme.id, match.topicId, request.params.id, now()],
      );
      if (rows.length > 0) await dropQueued(tx, programme.id, request.params.id);
      return rows.length > 0;
    });
    if (!found) throw new Problem('unknown-subscription', 'This topic has no subscription with this id.');
    return { id: request.params.id, cancelled: true };
  });

  // ----- one-click unsubscribe (a sub-scope that takes any body: mail clients POST a form)
  app.register(async (page) => {
    page.removeAllContentTypeParsers();
    page.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, undefined));

    const unsubscribe = async (token: string): Promise<Awaited<ReturnType<typeof byToken>>> =>
      db.transaction(async (tx) => {
        const row = await byToken(tx, token);
        if (!row) return undefined;
        if (row.unsubscribed_ms === null) {
          await tx.query('update notice_subscription set unsubscribed_ms = $2 where id = $1', [row.id, now()]);
          await dropQueued(tx, row.programme_id, row.id);
        }
        return row;
      });

    page.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
      const row = await unsubscribe(request.params.token);
      if (!row) return sendPage(reply, 404, NOT_FOUND_PAGE);
      request.log.info({ programme: row.programme_id, subscription: row.id }, 'unsubscribed (link)');
      return sendPage(reply, 200, {
        title: '已退订 / Unsubscribed',
        zh: [`已退订：您将不再收到关于${topicName(row, 'zh-CN')}的消息。`, '点错了？点击下面的按钮恢复。'],
        en: [`Unsubscribed: you will get no more messages about ${topicName(row, 'en')}.`, 'Clicked by mistake? Undo with the button below.'],
        form: { action: `/api/unsubscribe/${request.params.token}/undo`, zh: '撤销退订', en: 'Undo' },
      });
    });

    page.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
      const row = await unsubscribe(request.params.token);
      if (!row) return sendPage(reply, 404, NOT_FOUND_PAGE);
      request.log.info({ programme: row.programme_id, subscription: row.id }, 'unsubscribed (one-click)');
      return sendPage(reply, 200, {
        title: '已退订 / Unsubscribed',
        zh: [`已退订：您将不再收到关于${topicName(row, 'zh-CN')}的消息。`],
        en: [`Unsubscribed: you will get no more messages about ${topicName(row, 'en')}.`],
      });
    });

    page.post<{ Params: { token: string } }>('/unsubscribe/:token/undo', async (request, reply) => {
      const row = await db.transaction(async (tx) => {
        const found = await byToken(tx, request.params.token);
        if (found && found.unsubscribed_ms !== null) await tx.query('update notice_subscription set unsubscribed_ms = null where id = $1', [found.id]);
        return found;
      });
      if (!row) return sendPage(reply, 404, NOT_FOUND_PAGE);
      request.log.info({ programme: row.programme_id, subscription: row.id }, 'subscribed again (undo)');
      return sendPage(reply, 200, {
        title: '已恢复 / Subscribed again',
        zh: [`已恢复：您会继续收到关于${topicName(row, 'zh-CN')}的消息。`],
        en: [`Done: you will get messages about ${topicName(row, 'en')} again.`],
        form: { action: `/api/unsubscribe/${request.params.token}`, zh: '退订', en: 'Unsubscribe' },
      });
    });
  });

  // ----- the operator's outbox
  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/notices', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    authorizeAdmin(authenticateRequest(request), 'The notice outbox');
    const state = singleQuery(request.query, 'state') ?? 'dead';
    if (!(OUTBOX_STATES as readonly string[]).includes(state)) throw new Problem('invalid-request', 'state must be dead, pending or sent.', { errors: [{ parameter: 'state', message: 'must be dead, pending or sent' }] });
    const limitText = singleQuery(request.query, 'limit') ?? '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 200) throw new Problem('invalid-request', 'limit must be a whole number from 1 to 200.', { errors: [{ parameter: 'limit', message: 'must be 1 to 200' }] });
    const cursorText = singleQuery(request.query, 'cursor');
    let after: { ms: number; id: string } | undefined;
    if (cursorText !== undefined) {
      try {
        const parsed = JSON.parse(Buffer.from(cursorText, 'base64url').toString('utf8')) as unknown;
        if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') after = { ms: parsed[0], id: parsed[1] };
      } catch {
        // falls through to the problem
      }
      if (!after) throw new Problem('invalid-cursor', 'cursor is not one this server gave out; list again from the first page.');
    }
    const rows = await db.query<{
      id: string;
      topic_id: string;
      notice_key: string;
      trigger: string;
      audience: string;
      channel: string;
      target: string;
      recipient: Record<string, unknown>;
      state: OutboxState;
      attempts: number;
      next_at_ms: number;
      last_error: string | null;
      created_ms: number;
      sent_ms: number | null;
    }>(
      `select id, topic_id, notice_key, trigger, audience, channel, target, recipient, state, attempts, next_at_ms, last_error, created_ms, sent_ms
         from notice_outbox where programme_id = $1 and state = $2 ${after ? 'and (created_ms, id) < ($4, $5)' : ''}
        order by created_ms desc, id desc limit $3`,
      after ? [programme.id, state, limit + 1, after.ms, after.id] : [programme.id, state, limit + 1],
    );
    const [total] = await db.query<{ n: number }>('select count(*)::int as n from notice_outbox where programme_id = $1 and state = $2', [programme.id, state]);
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    const last = page[page.length - 1];
    const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
    reply.header('Cache-Control', 'no-store');
    return {
      total: total?.n ?? 0,
      items: page.map((r) => ({
        id: r.id,
        topicId: r.topic_id,
        noticeKey: r.notice_key,
        trigger: r.trigger,
        audience: r.audience,
        channel: r.channel,
        target: r.target,
        recipient: maskedRecipient(r.recipient),
        state: r.state,
        attempts: r.attempts,
        nextAt: r.state === 'pending' ? iso(r.next_at_ms) : null,
        lastError: r.last_error,
        createdAt: iso(r.created_ms),
        sentAt: iso(r.sent_ms),
      })),
      cursor: more && last ? Buffer.from(JSON.stringify([Number(last.created_ms), last.id])).toString('base64url') : null,
      more,
    };
  });

  app.post<{ Params: ProgrammeParams & { id: string } }>('/programmes/:programmeId/notices/:id/replay', async (request) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const admin = authorizeAdmin(authenticateRequest(request), 'Replaying a notice');
    const [row] = await db.query<{ state: string }>('select state from notice_outbox where programme_id = $1 and id = $2', [programme.id, request.params.id]);
    if (!row) throw new Problem('unknown-notice', 'This programme has no notice with this id.');
    const replayed = await replayNotices(db, programme.id, now(), request.params.id);
    request.log.info({ programme: programme.id, notice: request.params.id, by: admin.id, replayed }, 'notice replayed');
    return { replayed, state: replayed > 0 ? 'pending' : row.state };
  });

  app.post<{ Params: ProgrammeParams }>('/programmes/:programmeId/notices/replay', async (request) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const admin = authorizeAdmin(authenticateRequest(request), 'Replaying dead notices');
    const body = request.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || body.state !== 'dead' || Object.keys(body).length !== 1) {
      throw fault('/state', 'The body must be { "state": "dead" }: every dead letter of the programme is queued again.');
    }
    const replayed = await replayNotices(db, programme.id, now());
    request.log.info({ programme: programme.id, by: admin.id, replayed }, 'dead notices replayed');
    return { replayed };
  });
}

/** A stored recipient as the outbox list shows it: the audience, the party, addresses masked. */
export function maskedRecipient(recipient: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof recipient.audience === 'string') out.audience = recipient.audience;
  if (typeof recipient.party === 'string') out.party = recipient.party;
  if (typeof recipient.email === 'string') out.email = maskEmail(recipient.email);
  if (typeof recipient.phone === 'string') out.phone = maskPhone(recipient.phone);
  return out;
}
