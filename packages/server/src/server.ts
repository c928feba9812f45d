/** Starting and stopping the whole server: database, migrations, seed configs, HTTP, the clock. */
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { buildApp } from './app.js';
import { removePidFile, writePidFile } from './backup/pid-file.js';
import type { ServerOptions } from './config.js';
import type { Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { startClock } from './notifications/clock.js';
import { createAuthenticator } from './identity/authenticator.js';
import { openDb } from './db/open.js';
import { redactStoredLogs } from './personal.js';
import { seedProgrammes, type SeedReport } from './programmes.js';
import { writeDemoHistory, type DemoReport } from './demo/history.js';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  /** Where it listens, e.g. `http://localhost:8080`. */
  url: string;
  /** What storing the seed configs gave. */
  seeded: SeedReport[];
  /** What `demoHistory` wrote, per programme (empty without it). */
  demo: DemoReport[];
  /** How long writing the demo history took, in ms (0 without it). */
  demoMs: number;
  /**
   * Settles once the configured issuers' discovery and keys were fetched: one reason per
   * issuer that could not be reached (the server runs anyway and tries again per request).
   */
  identityReady: Promise<string[]>;
  /**
   * Shuts down gracefully (SIGTERM): stops accepting connections at once, answers requests
   * already received (each with `Connection: close`, so keep-alive clients and proxies go
   * elsewhere), stops the clock after a tick under way, waits up to {@link SHUTDOWN_GRACE_MS} for
   * the running requests, then closes what is left and the database.
   */
  close(): Promise<void>;
}

/**
 * How long `close()` waits for requests under way before it cuts their connections (systemd's
 * default `TimeoutStopSec` is 90 s; a large export finishes well within this).
 */
export const SHUTDOWN_GRACE_MS = 30_000;

/**
 * Tracks the responses under way on a Node HTTP server, for a graceful stop. `drain()` stops
 * accepting connections, closes the idle keep-alive ones, marks every response not yet started
 * (and every one that arrives on an open connection meanwhile) `Connection: close`, and
 * resolves once none is left or after `graceMs`.
 */
export function trackInFlight(server: Server): { drain(graceMs: number): Promise<void> } {
  const active = new Set<ServerResponse>();
  let draining = false;
  let idle: (() => void) | undefined;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    active.add(response);
    if (draining && !response.headersSent) response.shouldKeepAlive = false;
    response.once('close', () => {
      active.delete(response);
      if (active.size === 0) idle?.();
    });
  });
  return {
    drain(graceMs) {
      draining = true;
      // No new connections from here on; `close` ends once the last one is gone (Fastify's own close later ends the rest).
      server.close(() => undefined);
      server.closeIdleConnections();
      for (const response of active) if (!response.headersSent) response.shouldKeepAlive = false;
      if (active.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

/** What the command adds to the settings. */
export interface StartExtras {
  /**
   * `--demo-history`: write a year of made-up history (demo/history.ts) into each seeded
   * programme whose log is empty, up to the server's clock. For the demo only.
   */
  demoHistory?: boolean;
}

/**
 * Opens the database, migrates it, stores the seed configs, redacts any log written before
 * personal values were kept apart (personal.ts), writes the demo history when asked, listens, and starts the clock
 * (notifications/clock.ts: ticks every `notify.tickMs`, default 15 s).
 */
export async function startServer(options: ServerOptions & StartExtras): Promise<RunningServer> {
  const db = await openDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  // PGlite: mark the folder as open, so backup/restore refuse it while this process runs.
  const pidDir = options.databaseUrl ? undefined : options.dataDir;
  if (pidDir) writePidFile(pidDir);
  try {
    await migrate(db);
    const seeded: SeedReport[] = [];
    for (const dir of options.seedDirs) seeded.push(...(await seedProgrammes(db, dir)));
    await redactStoredLogs(db);
    const demoStart = performance.now();
    const demo = options.demoHistory ? await writeDemoHistory(db, { now: options.clock?.() ?? new Date() }) : [];
    const demoMs = options.demoHistory ? Math.round(performance.now() - demoStart) : 0;
    const authenticator = createAuthenticator({ tokens: options.tokens, oidc: options.oidc, portal: options.portalAssertions });
    const app = await buildApp(db, { ...options, authenticator: options.authenticator ?? authenticator });
    const inFlight = trackInFlight(app.server);
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const clock = startClock(db, options, app.log);
    let closing: Promise<void> | undefined;
    return {
      app,
      db,
      url: `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${port}`,
      seeded,
      demo,
      demoMs,
      identityReady: options.authenticator ? Promise.resolve([]) : authenticator.warm(),
      close: () =>
        (closing ??= (async () => {
          try {
            // Requests under way finish and the clock's tick under way ends, side by side;
            // then Fastify closes (cutting only what outlived the grace period).
            await Promise.all([inFlight.drain(SHUTDOWN_GRACE_MS), clock.stop()]);
            await app.close();
          } finally {
            await db.close();
            if (pidDir) removePidFile(pidDir);
          }
        })()),
    };
  } catch (error) {
    await db.close();
    if (pidDir) removePidFile(pidDir);
    throw error;
  }
}

/** Demo history reports as lines for a terminal. */
export function formatDemoReports(reports: readonly DemoReport[], ms: number): string[] {
  if (reports.length === 0) return [];
  return [
    ...reports.map((r) =>
      r.skipped ? `demo history: ${r.programme} has a log already, nothing added` : `demo history: ${r.programme} ← ${r.topics} topics, ${r.entries} entries`,
    ),
    `demo history: ${ms} ms`,
  ];
}

/** Seed reports as lines for a terminal: each good config, and each bad one with its pointers. */
export function formatSeedReports(reports: readonly SeedReport[]): string[] {
  return reports.flatMap((r) =>
    r.ok
      ? [`✓ ${r.file} → programme ${r.id}, config version ${r.version}`]
      : [`✗ ${r.file}: ${r.errors.length} error(s), skipped`, ...r.errors.map((e) => `  ${e.pointer || '/'}  [${e.code}] ${e.message}`)],
  );
}

/**
 * What the start-up lines say about identity: where staff and residents are verified, and —
 * with the demo token table alone — how to switch to the city's provider.
 */
export function describeIdentity(options: Pick<ServerOptions, 'tokens' | 'oidc' | 'portalAssertions'>): string[] {
  const { tokens, oidc, portalAssertions: portal } = options;
  const lines: string[] = [];
  if (!oidc && !portal) {
    lines.push(
      `identity: demo tokens (${tokens.size}) from the token table — for your OpenID Connect provider set --oidc-issuer <url> --oidc-audience <aud> ` +
        '(and --oidc-claims <file>, --oidc-client-id <id>); for residents your portal signs in, --portal-issuer with --portal-jwks or --portal-key (docs/server.md#identity)',
    );
    return lines;
  }
  if (oidc) {
    const client = oidc.clientId ? `staff pages sign in as client ${oidc.clientId} (scope "${oidc.scope}")` : 'no --oidc-client-id: staff pages cannot sign in by themselves, a portal must hand them a token';
    lines.push(`identity: staff tokens of ${oidc.issuer} for audience ${oidc.audience}; ${client}`);
  }
  if (portal) lines.push(`identity: resident assertions of ${portal.issuer} (keys: ${portal.jwksUrl ?? 'the --portal-key file'}; at most ${portal.maxLifetimeSeconds} s each)`);
  lines.push(`identity: ${tokens.size} token(s) in the token table`);
  return lines;
}
