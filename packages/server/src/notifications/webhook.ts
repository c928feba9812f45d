/**
 * Webhooks signed per Standard Webhooks (https://www.standardwebhooks.com, docs/server.md
 * "Signing"): each POST carries
 *
 * - `webhook-id`: the outbox row's id, the same on every retry (a receiver deduplicates on it);
 * - `webhook-timestamp`: when this attempt was signed, in whole seconds since the epoch;
 * - `webhook-signature`: `v1,` + base64 of HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed
 *   with the base64-decoded part of the endpoint's `whsec_` secret.
 *
 * Signed here with node:crypto (a dozen lines, no dependency); the tests and the receiver example
 * verify with the `standardwebhooks` package, an independent implementation of the scheme.
 *
 * 2xx: delivered. 410 Gone: the receiver says never again — dead at once. Anything else (another
 * status, a network error, no answer within the timeout): tried again later.
 */
import { createHmac } from 'node:crypto';
import type { Audience, Locale, NoticeMeeting, NoticeTrigger, RenderedNotice } from '@consult-kit/machine';
import type { Attempt, OutboxRecipient } from './types.js';
import type { WebhookEndpoint } from './types.js';

/** The JSON body of a notice webhook. */
export interface WebhookBody {
  /** `notice.<trigger>`. */
  type: `notice.${NoticeTrigger}`;
  /** When the notice's moment happened (ISO 8601). */
  timestamp: string;
  data: {
    programmeId: string;
    topicId: string;
    /** The notice's key: the same for every recipient of one notice. */
    noticeKey: string;
    trigger: NoticeTrigger;
    audience: Audience;
    /** Who it is for: a directory entry (`id`/`party`, `name`, `email`, `phone`, `locale`), a resident's `phone` and `subscription`, or only `audience` (and `party`) when the directory names nobody. */
    recipient: OutboxRecipient;
    texts: Record<Locale, RenderedNotice>;
    vars: Record<string, string>;
    meeting?: NoticeMeeting;
    /** For residents: the one-click unsubscribe link to put into the SMS. */
    unsubscribeUrl?: string;
  };
}

/** The `v1,` signature of a message (Standard Webhooks). */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** Sends one signed webhook; bounded by `timeoutMs`. The error says nothing personal. */
export async function sendWebhook(endpoint: WebhookEndpoint, id: string, body: WebhookBody, timeoutMs: number, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Attempt> {
  const text = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'consult-kit-server',
        'webhook-id': id,
        'webhook-timestamp': String(nowSeconds),
        'webhook-signature': signWebhook(endpoint.secret, id, nowSeconds, text),
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, error: `no answer within ${timeoutMs} ms` };
    return { ok: false, error: `network error${e.cause?.code ? ` ${e.cause.code}` : ''}` };
  }
  // The body is not read into the row (it may echo what we sent); drain it so the socket is freed.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { ok: true };
  if (response.status === 410) return { ok: false, gone: true, error: 'HTTP 410 Gone: the receiver asked not to be sent this again' };
  return { ok: false, error: `HTTP ${response.status}` };
}
