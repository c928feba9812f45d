/**
 * The outbox chaos harness: one Chromium, one context, two tabs of the same origin (sharing
 * IndexedDB, Web Locks and BroadcastChannel), a server that drops, delays and refuses, and a
 * seeded sequence of submits, reloads and offline spells. Afterwards, with the network healed,
 * both tabs drain, and every acknowledged entry must have been applied on the server exactly
 * once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { prng } from '../../../machine/test/fixtures.js';
import { NO_FAULTS, startChaosServer, type ChaosServerStats, type Faults } from './server.js';
import type { ClientStatus, SubmitResult } from './page.js';

import { CHROMIUM_ARGS, findChromium } from '../../../../scripts/ensure-chromium.mjs';

/** As scripts/ensure-chromium.mjs: $CHROMIUM_PATH, else Debian's chromium. */
export const CHROMIUM = findChromium() ?? '/usr/bin/chromium';
export { CHROMIUM_ARGS };

export interface ChaosOptions {
  seed: number;
  /** The run ends once this many tab reloads have completed. */
  reloads: number;
  /** Server idempotency by key (default on). Off also turns off the server's lifecycle check (see server.ts). */
  dedup?: boolean;
  client?: 'store' | 'naive';
  /** Bound on the random phase (the drain after it has its own bound, `drainLimitMs`). */
  durationLimitMs?: number;
  drainLimitMs?: number;
  faults?: Partial<Faults>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** The server's request trace and the harness's actions (default: none). */
  trace?: (line: string) => void;
}

export interface ChaosResult {
  seed: number;
  client: 'store' | 'naive';
  dedup: boolean;
  /** Entry ids the page acknowledged (`ok: true`), wherever saved. */
  acknowledged: number;
  /** Of those, acknowledged as kept in memory only (`savedOn: 'memory'`: IndexedDB had failed). */
  acknowledgedInMemory: number;
  /** Distinct entry ids appended on the server. */
  applied: number;
  /** Appends on the server, duplicates included. */
  appends: number;
  /** Appends before the network was healed (what the faults had to get through). */
  appliedBeforeHeal: number;
  /** Acknowledged as saved on the device, never applied. */
  lost: string[];
  /** Acknowledged as kept in memory only, never applied (lost with the tab that held them). */
  lostFromMemory: string[];
  /** Applied more than once (acknowledged or not). */
  duplicated: Array<{ id: string; times: number }>;
  /** Applied although the harness never saw them acknowledged (a submit cut short by a reload: allowed). */
  appliedUnacknowledged: number;
  reloads: number;
  submits: number;
  /** Submits cut short by a reload of their tab. */
  interruptedSubmits: number;
  /** Submits the store refused (should be none). */
  refusals: string[];
  offlineSpells: number;
  /** Both tabs reported nothing pending after the drain. */
  drained: boolean;
  /** The random phase hit `durationLimitMs` before `reloads` reloads. */
  timedOut: boolean;
  /** Each tab after the drain: its status, its outbox as stored, and how many server entries its log holds. */
  tabs: Array<ClientStatus & { outboxSize: number | null; confirmedSize: number | null }>;
  server: Omit<ChaosServerStats, 'applied' | 'refused'> & { refused: number };
  pageErrors: string[];
  durationMs: number;
}

interface Tab {
  name: string;
  page: Page;
  ready: boolean;
  reloading?: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rejects after `ms` (a hung page must not hang the harness). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const client = options.client ?? 'store';
  const dedup = options.dedup ?? true;
  const log = options.log ?? (() => undefined);
  const durationLimitMs = options.durationLimitMs ?? 60_000;
  const drainLimitMs = options.drainLimitMs ?? 30_000;
  const rng = prng(options.seed);
  const act = (line: string) => options.trace?.(`${String(Date.now() - started).padStart(6)} ms   ${line}`);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

  const server = await startChaosServer({
    seed: options.seed ^ 0x5eed,
    dedup,
    // Without dedup the lifecycle would refuse a resent topic.submit (the topic exists) and hide
    // the duplicate as a 422: the naive server appends whatever it is sent.
    checkLifecycle: dedup,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
  const userDataDir = mkdtempSync(join(tmpdir(), 'consult-kit-chaos-'));
  let context: BrowserContext;
  try {
    // A persistent context on a fresh folder: IndexedDB on disk, as on a resident's phone.
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const acknowledged = new Set<string>();
  const inMemory = new Set<string>();
  const refusals: string[] = [];
  const pageErrors: string[] = [];
  let submits = 0;
  let interruptedSubmits = 0;
  let reloads = 0;
  let offlineSpells = 0;
  let offline = false;
  let timedOut = false;
  const inflight = new Set<Promise<void>>();
  let failure: unknown;

  try {
    await context.exposeBinding('__chaosAck', (_source, id: string, savedOn: string) => {
      acknowledged.add(id);
      if (savedOn === 'memory') inMemory.add(id);
    });
    const url = `${server.url}/${client === 'naive' ? '?client=naive' : ''}`;

    const waitReady = async (tab: Tab) => {
      const handle = await tab.page.waitForFunction(() => window.chaosReady === true || window.chaosError !== undefined, null, {
        timeout: 20_000,
      });
      await handle.dispose();
      const error = await tab.page.evaluate(() => window.chaosError);
      if (error) throw new Error(`${tab.name} did not start: ${error}`);
      tab.ready = true;
    };

    const tabs: Tab[] = [];
    for (const name of ['tab A', 'tab B']) {
      const page = tabs.length === 0 && context.pages()[0] ? context.pages()[0]! : await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
      const tab: Tab = { name, page, ready: false };
      await page.goto(url);
      await waitReady(tab);
      tabs.push(tab);
    }

    const submit = (tab: Tab, n: number) => {
      submits += 1;
      act(`${tab.name}: submit ${n}`);
      const p = within(
        tab.page.evaluate((count) => window.chaos!.submit(count), n),
        20_000,
        `${tab.name} submit`,
      )
        .then((result: SubmitResult) => {
          for (const id of result.ids) acknowledged.add(id);
          for (const id of result.inMemory) inMemory.add(id);
          refusals.push(...result.refusals);
        })
        .catch((error: unknown) => {
          const message = String((error as Error)?.message ?? error);
          // A reload of this tab destroys the page the submit ran in: allowed (un-acknowledged entries may be lost).
          if (/context was destroyed|navigat|Target closed|frame was detached/i.test(message)) interruptedSubmits += 1;
          else failure ??= error;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    };

    const reload = (tab: Tab) => {
      act(`${tab.name}: reload`);
      tab.ready = false;
      tab.reloading = (async () => {
        await tab.page.reload({ waitUntil: 'load', timeout: 20_000 });
        await waitReady(tab);
        reloads += 1;
      })().finally(() => {
        tab.reloading = undefined;
      });
      return tab.reloading;
    };
    const reloadsInFlight = () => Promise.all(tabs.map((t) => t.reloading).filter(Boolean));

    const deadline = started + durationLimitMs;
    for (let step = 0; step < 100_000 && reloads < options.reloads; step += 1) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      const r = rng();
      if (r < 0.25) {
        const ready = tabs.filter((t) => t.ready);
        if (ready.length > 0) submit(pick(ready), 1 + Math.floor(rng() * 3));
      } else if (r < 0.37) {
        // No reload while offline (the page itself could not load: there is no service worker).
        const candidates = tabs.filter((t) => !t.reloading);
        if (!offline && candidates.length > 0) {
          const p = reload(pick(candidates));
          // Usually let the other tab go on meanwhile; sometimes wait for the reload.
          if (rng() < 0.3) await p.catch((e: unknown) => (failure ??= e));
          else p.catch((e: unknown) => (failure ??= e));
        }
      } else if (r < 0.45) {
        // Offline spells are short: going offline is rarer than coming back.
        if (offline ? rng() < 0.7 : rng() < 0.35) {
          await reloadsInFlight().catch(() => undefined);
          offline = !offline;
          act(offline ? 'offline' : 'online');
          if (offline) offlineSpells += 1;
          await context.setOffline(offline);
        }
      } else {
        await sleep(Math.floor(rng() * 151));
      }
      if (failure) throw failure;
      if (step % 50 === 0) log(`step ${step}: ${reloads} reloads, ${acknowledged.size} acknowledged, ${server.log.length} applied`);
    }

    // Heal: back online, no more faults, let every submit and reload finish, then drain both tabs.
    act('heal and drain');
    const appliedBeforeHeal = server.log.length;
    await reloadsInFlight();
    await Promise.allSettled([...inflight]);
    if (failure) throw failure;
    if (offline) await context.setOffline(false);
    offline = false;
    server.setFaults(NO_FAULTS);
    let statuses: ClientStatus[] = [];
    const drainEnd = Date.now() + drainLimitMs;
    for (let round = 0; round < 100 && Date.now() < drainEnd; round += 1) {
      const budget = Math.max(500, Math.min(5000, drainEnd - Date.now()));
      statuses = await Promise.all(
        tabs.map((t) => within(t.page.evaluate((ms) => window.chaos!.drain(ms), budget), budget + 5000, `${t.name} drain`)),
      );
      if (statuses.every((s) => s.pending === 0 && !s.sending)) break;
      await sleep(100);
    }
    // A slow answer may still be on its way (a request whose page was reloaded): let the server finish.
    await server.idle(5000);
    // Then read the status again (after the other tab's last broadcast) and the outbox itself.
    await sleep(200);
    const tabsOut = await Promise.all(
      tabs.map(async (t) => ({
        ...(await t.page.evaluate(() => window.chaos!.status())),
        outboxSize: await t.page.evaluate(() => window.chaos!.outboxSize()),
        confirmedSize: await t.page.evaluate(() => window.chaos!.confirmedSize()),
      })),
    );
    // Drained: both tabs say nothing is pending, and the outbox as stored is empty too.
    const drained = statuses.length === tabs.length && tabsOut.every((s) => s.pending === 0 && !s.outboxSize);

    const applied = server.stats.applied;
    const neverApplied = [...acknowledged].filter((id) => !applied.has(id));
    const lost = neverApplied.filter((id) => !inMemory.has(id));
    const lostFromMemory = neverApplied.filter((id) => inMemory.has(id));
    const duplicated = [...applied].filter(([, times]) => times > 1).map(([id, times]) => ({ id, times }));
    const { applied: _a, refused, ...serverStats } = server.stats;
    const result: ChaosResult = {
      seed: options.seed,
      client,
      dedup,
      acknowledged: acknowledged.size,
      acknowledgedInMemory: inMemory.size,
      applied: applied.size,
      appends: server.log.length,
      appliedBeforeHeal,
      lost,
      lostFromMemory,
      duplicated,
      appliedUnacknowledged: [...applied.keys()].filter((id) => !acknowledged.has(id)).length,
      reloads,
      submits,
      interruptedSubmits,
      refusals,
      offlineSpells,
      drained,
      timedOut,
      tabs: tabsOut,
      server: { ...serverStats, injected: { ...serverStats.injected }, refused: [...refused.values()].reduce((a, b) => a + b, 0) },
      pageErrors,
      durationMs: Date.now() - started,
    };
    log(
      `seed ${result.seed} ${client}${dedup ? '' : ' (no dedup)'}: ${result.acknowledged} acknowledged, ${result.applied} applied, ` +
        `${lost.length} lost (+${lostFromMemory.length} kept in memory only), ${duplicated.length} duplicated, ${reloads} reloads, ${result.durationMs} ms`,
    );
    return result;
  } finally {
    await Promise.allSettled([...inflight]);
    await context.close().catch(() => undefined);
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
