/**
 * E-mail over SMTP with nodemailer (a kept library: no dependencies of its own, the SMTP
 * transport the Node world uses). Plain text in the recipient's language; residents' messages
 * carry the one-click unsubscribe link in the text and as `List-Unsubscribe` +
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058); meeting notices carry a
 * calendar invite (ics.ts) as `text/calendar; method=REQUEST`, which calendar apps open. The
 * `Message-ID` comes from the outbox row's id, the same on every retry.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Locale } from '@consult-kit/machine';
import type { Attempt } from './types.js';
import type { NotifyOptions } from './types.js';

/** What an e-mail row's payload holds (personal: the address; erased with the topic). */
export interface EmailPayload {
  to: string;
  locale: Locale;
  subject: string;
  text: string;
  unsubscribeUrl?: string;
  /** The calendar invite (RFC 5545 text), for meeting notices. */
  ics?: string;
}

/** An open SMTP transport for one delivery round. */
export interface MailSender {
  send(message: SendMailOptions): Promise<unknown>;
  close(): void;
}

/** Opens a transport to `smtp.url` (smtp:// or smtps://, user:password@ allowed), each phase bounded by `timeoutMs`. */
export function openMailSender(smtp: NonNullable<NotifyOptions['smtp']>, timeoutMs: number): MailSender {
  const url = new URL(smtp.url);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // No logging: nodemailer's logger would print addresses.
    logger: false,
    debug: false,
  });
  return { send: (message) => transport.sendMail(message), close: () => transport.close() };
}

/** The domain of an address, for the Message-ID. */
function domainOf(from: string): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  return address.split('@').pop()?.trim() || 'consult-kit.invalid';
}

/** Sends one e-mail row. The error names the SMTP phase and code only, never the server's words (they may echo the address). */
export async function sendEmail(mail: MailSender, notify: NotifyOptions, id: string, payload: EmailPayload, timeoutMs: number): Promise<Attempt> {
  const from = notify.smtp!.from;
  const message: SendMailOptions = {
    from,
    to: payload.to,
    subject: payload.subject,
    text: payload.text,
    messageId: `<${id}@${domainOf(from)}>`,
    headers: {
      'Content-Language': payload.locale,
      ...(payload.unsubscribeUrl ? { 'List-Unsubscribe': `<${payload.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      'Auto-Submitted': 'auto-generated',
    },
    ...(payload.ics ? { icalEvent: { filename: 'invite.ics', method: 'REQUEST', content: payload.ics } } : {}),
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      mail.send(message),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_ATTEMPT' })), timeoutMs + 1000);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    const e = error as { code?: string; responseCode?: number; command?: string };
    if (e.code === 'ETIMEDOUT_ATTEMPT' || e.code === 'ETIMEDOUT') return { ok: false, error: `SMTP: no answer within ${timeoutMs} ms` };
    const parts = ['SMTP'];
    if (e.command) parts.push(String(e.command).split(' ')[0]!);
    if (e.responseCode) parts.push(String(e.responseCode));
    if (e.code) parts.push(e.code);
    return { ok: false, error: parts.join(' ') };
  } finally {
    clearTimeout(timer);
  }
}
