/**
 * Shared by the channel tests (notify-*.test.ts): real receivers only — an HTTP server that
 * verifies every Standard Webhooks signature with the `standardwebhooks` package (an independent
 * implementation), receivers that are down, slow, failing or gone, and a real SMTP server
 * (`smtp-server`) that keeps every raw message, or refuses recipients with 550.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import type { NoticeIntent } from '@consult-kit/machine';
import type { Db } from '../src/db/db.js';
import { enqueueNotices } from '../src/notifications/outbox.js';
import type { NotifyOptions, WebhookEndpoint } from '../src/notifications/types.js';
import { requireProgrammeConfig } from '../src/programmes.js';

type Obj = Record<string, unknown>;

/** A fresh Standard Webhooks secret. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** How a receiver answers: 204, 500, 410, or never (slow). */
export type ReceiverMode = 'ok' | 'fail' | 'gone' | 'slow';

/** One request a receiver got. */
export interface Received {
  id: string;
  timestamp: string;
  body: Obj;
  raw: string;
  /** Whether `standardwebhooks` accepted the signature. */
  verified: boolean;
}

export interface HookReceiver {
  url: string;
  secret: string;
  mode: ReceiverMode;
  /** Every request, verified or not. */
  requests: Received[];
  /** The verified requests, answered 2xx. */
  accepted: Received[];
  endpoint(id: string, extra?: Partial<WebhookEndpoint>): WebhookEndpoint;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A real HTTP receiver that verifies each signature with `standardwebhooks`. */
export async function startHookReceiver(mode: ReceiverMode = 'ok', secret = newSecret()): Promise<HookReceiver> {
  const verifier = new Webhook(secret);
  const pending = new Set<import('node:http').ServerResponse>();
  const receiver: HookReceiver = {
    url: '',
    secret,
    mode,
    requests: [],
    accepted: [],
    endpoint: (id, extra = {}) => ({ id, url: receiver.url, secret, ...extra }),
    close: async () => {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = request.headers as Record<string, string | undefined>;
      let verified = false;
      try {
        verifier.verify(raw, { 'webhook-id': headers['webhook-id'] ?? '', 'webhook-timestamp': headers['webhook-timestamp'] ?? '', 'webhook-signature': headers['webhook-signature'] ?? '' });
        verified = true;
      } catch {
        // stays unverified: answered 401
      }
      const got: Received = { id: headers['webhook-id'] ?? '', timestamp: headers['webhook-timestamp'] ?? '', body: JSON.parse(raw) as Obj, raw, verified };
      receiver.requests.push(got);
      if (!verified) return void response.writeHead(401).end();
      switch (receiver.mode) {
        case 'ok':
          receiver.accepted.push(got);
          return void response.writeHead(204).end();
        case 'fail':
          return void response.writeHead(500).end('down for maintenance');
        case 'gone':
          return void response.writeHead(410).end();
        case 'slow':
          pending.add(response); // never answered
      }
    });
  });
  receiver.url = `http://127.0.0.1:${await listen(server)}/hook`;
  return receiver;
}

/** A URL nobody listens on (a port opened and closed again). */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

/** A real SMTP server on a free port that keeps every raw message (or refuses every recipient with 550). */
export interface MailServer {
  url: string;
  messages: { from: string; to: string[]; raw: Buffer }[];
  refuse: boolean;
  close(): Promise<void>;
}

export async function startMailServer(refuse = false): Promise<MailServer> {
  const mail: MailServer = {
    url: '',
    messages: [],
    refuse,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (mail.refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mail.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve((smtp.server.address() as AddressInfo).port)));
  mail.url = `smtp://127.0.0.1:${port}`;
  return mail;
}

/** Notify options for a test: fast retries (1 min, then 5 min), a short attempt timeout. */
export function testNotify(overrides: Partial<NotifyOptions> = {}): NotifyOptions {
  return {
    webhooks: [],
    directory: { people: {}, parties: {}, programmes: {} },
    retry: { delaysSeconds: [60, 300], timeoutMs: 400 },
    publicUrl: 'https://consult.example.gov.cn',
    timeZone: 'Asia/Shanghai',
    tickMs: 0,
    ...overrides,
  };
}

/** A notice as the machine derives it (tests that are about the channels make their own). */
export function intentFor(topicId: string, overrides: Partial<NoticeIntent> = {}): NoticeIntent {
  return {
    key: `${topicId}:measure.overdue:m-1:2026-12-01`,
    trigger: 'measure.overdue',
    topicId,
    to: ['department'],
    vars: { title: '加装电梯', topicId, measure: '委托可行性评估', party: 'housing-bureau', due: '2026-12-01', daysOverdue: '2' },
    party: 'housing-bureau',
    at: '2026-12-02T00:00:00.000Z',
    ...overrides,
  };
}

/** Queues intents in one transaction, as the clock does; returns how many rows were new. */
export async function enqueue(db: Db, programmeId: string, intents: NoticeIntent[], notify: NotifyOptions, nowMs: number): Promise<number> {
  const { config } = await requireProgrammeConfig(db, programmeId);
  return db.transaction((tx) => enqueueNotices(tx, { programmeId, config, nowMs }, intents, notify));
}

/** Outbox rows of a programme, for assertions. */
export async function outbox(db: Db, programmeId: string): Promise<Obj[]> {
  return db.query('select * from notice_outbox where programme_id = $1 order by target, id', [programmeId]);
}

/** Every text column of every table, as one string: what a search for personal data reads. */
export async function everyTableText(db: Db): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name",
  );
  let text = '';
  for (const { table_name } of tables) {
    const rows = await db.query(`select * from "${table_name}"`);
    text += `\n${table_name}\n${JSON.stringify(rows)}`;
  }
  return text;
}
