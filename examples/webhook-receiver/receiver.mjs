#!/usr/bin/env node
// A webhook receiver for consult-kit notices: a plain Node HTTP server that
//
// - verifies each request's Standard Webhooks signature with the `standardwebhooks` package
//   (webhook-id, webhook-timestamp, webhook-signature; HMAC-SHA256 with the endpoint's secret),
//   and with it refuses a timestamp more than 5 minutes off (a replayed or delayed request);
// - deduplicates by `webhook-id`: consult-kit sends at least once (a retry after a timeout, or a
//   server killed between your 2xx and its note that the notice was sent, sends it again with the
//   same id), so a second request with an id already handled is answered 200 and not acted on;
// - prints one JSON line per new notice (what an SMS gateway, a hotline or a case system would
//   take from here), and answers 204.
//
// Run:  WEBHOOK_SECRET=whsec_… PORT=9000 node receiver.mjs [--seen seen.txt]
// `--seen <file>` keeps the handled ids in a file (one a line), so a restarted receiver still
// knows them; without it they are kept in memory only. See README.md beside this file.
import { Buffer } from 'node:buffer';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';

/** Largest body accepted (a notice is a few kilobytes). */
const MAX_BODY = 256 * 1024;

/**
 * Makes the receiver's request handler.
 * @param {{ secret: string, onNotice: (notice: { id: string, type: string, data: unknown }) => void | Promise<void>, seenFile?: string, log?: (line: string) => void }} options
 */
export function createReceiver({ secret, onNotice, seenFile, log = (line) => process.stderr.write(`${line}\n`) }) {
  // The package checks the signature and that the timestamp is within 5 minutes of now.
  const verifier = new Webhook(secret);
  const seen = new Set(seenFile && existsSync(seenFile) ? readFileSync(seenFile, 'utf8').split('\n').filter(Boolean) : []);
  const stats = { requests: 0, duplicates: 0, rejected: 0, accepted: 0 };

  const handler = (request, response) => {
    if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', async () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      };
      let payload;
      try {
        payload = verifier.verify(body, headers);
      } catch (error) {
        stats.rejected += 1;
        // Never log the body: it holds the recipient's address.
        log(`rejected ${headers['webhook-id'] || '(no id)'}: ${error.message}`);
        return void response.writeHead(401).end();
      }
      const id = headers['webhook-id'];
      if (seen.has(id)) {
        stats.duplicates += 1;
        return void response.writeHead(200).end();
      }
      try {
        await onNotice({ id, type: payload.type, data: payload.data });
      } catch (error) {
        // Not handled: answer 500 and consult-kit tries again later (same id).
        log(`failed ${id}: ${error.message}`);
        return void response.writeHead(500).end();
      }
      seen.add(id);
      if (seenFile) appendFileSync(seenFile, `${id}\n`);
      stats.accepted += 1;
      response.writeHead(204).end();
    });
  };
  return { handler, stats, seen };
}

// Run as a program: listen and print each notice as one JSON line.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('Set WEBHOOK_SECRET to the endpoint\'s secret ("whsec_…", the same as in the server\'s --notify file).');
    process.exit(2);
  }
  const i = process.argv.indexOf('--seen');
  const seenFile = i > 0 ? process.argv[i + 1] : undefined;
  const { handler } = createReceiver({
    secret,
    seenFile,
    onNotice: ({ id, type, data }) => {
      // Here a city sends the SMS, opens the case, … This example prints it.
      const { recipient, texts, topicId, programmeId, audience } = data;
      const locale = recipient?.locale ?? 'zh-CN';
      process.stdout.write(`${JSON.stringify({ id, type, programmeId, topicId, audience, to: recipient?.phone ?? recipient?.email ?? recipient?.party ?? audience, text: texts?.[locale]?.text })}\n`);
    },
  });
  const port = Number(process.env.PORT ?? 9000);
  createServer(handler).listen(port, process.env.HOST ?? '127.0.0.1', () => console.error(`webhook receiver on http://${process.env.HOST ?? '127.0.0.1'}:${port}/`));
}
