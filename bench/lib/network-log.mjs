// The network log of one page, from Chromium's DevTools protocol (a CDP session of the page), for
// the load section (bench/load.mjs): every request with when it was sent (wall clock, to compare
// with the page's own moment of "interactive"), its resource type, status, Content-Encoding, the
// Accept-Encoding actually sent, and its encoded (on-the-wire) bytes from Network.loadingFinished
// (headers included). Also the throttling the section applies (CPU and network).
import { setTimeout as sleep } from 'node:timers/promises';

/** Chromium's DevTools "slow network" as issue 18 sets it: 150 ms, 1.6 Mbit/s down, 750 kbit/s up. */
export const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };

const header = (headers, name) => {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
};

/**
 * Starts recording `cdp`'s network events (enable before the navigation).
 * @param {import('playwright-core').CDPSession} cdp
 */
export async function recordNetwork(cdp) {
  /** @type {Map<string, { url: string, type: string, wall: number, status?: number, mime?: string, encoding?: string, acceptEncoding?: string, bytes: number, headerBytes?: number, done: boolean, failed?: string }>} */
  const requests = new Map();
  const get = (id) => requests.get(id);
  cdp.on('Network.requestWillBeSent', (e) => {
    const known = get(e.requestId);
    if (known && e.redirectResponse) {
      // A redirect: the hop before counts as its own request, with the bytes of its response.
      requests.set(`${e.requestId}#${known.wall}`, { ...known, status: e.redirectResponse.status, bytes: e.redirectResponse.encodedDataLength ?? 0, done: true });
    }
    requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', wall: e.wallTime * 1000, bytes: 0, done: false, acceptEncoding: known?.acceptEncoding });
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const r = get(e.requestId);
    const accept = header(e.headers, 'accept-encoding');
    if (r) r.acceptEncoding = accept;
    else requests.set(e.requestId, { url: '', type: 'Other', wall: Number.NaN, bytes: 0, done: false, acceptEncoding: accept });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.mime = e.response.mimeType;
    r.encoding = header(e.response.headers, 'content-encoding') ?? 'identity';
    // What had arrived when the response started: its status line and headers.
    r.headerBytes = e.response.encodedDataLength ?? 0;
    if (e.type) r.type = e.type;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.done = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.failed = e.blockedReason ?? e.errorText;
    r.done = true;
  });
  await cdp.send('Network.enable');
  return {
    requests,
    /** Requests sent and not finished. */
    inFlight: () => [...requests.values()].filter((r) => r.url && !r.done).length,
    /** Resolves once nothing was in flight for `quietMs` (or after `maxMs`). */
    async settle({ quietMs = 1000, maxMs = 30_000 } = {}) {
      const end = Date.now() + maxMs;
      let quietSince = Date.now();
      while (Date.now() < end) {
        if (this.inFlight() > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= quietMs) return true;
        await sleep(50);
      }
      return false;
    },
  };
}

const isJs = (r) => r.url && (r.type === 'Script' || /javascript|ecmascript/i.test(r.mime ?? ''));

/**
 * The JS of a log: every JS request (any status, blocked and failed ones too) sent at or before
 * `beforeWall` (epoch ms; all of them when omitted), their count, encoded bytes (and how many of
 * them were status lines and headers), Content-Encodings
 * and Accept-Encodings, and each as { path, bytes, encoding }.
 */
export function jsOf(requests, beforeWall = Infinity) {
  const js = [...requests.values()].filter((r) => isJs(r) && r.wall <= beforeWall);
  return {
    count: js.length,
    bytes: js.reduce((sum, r) => sum + r.bytes, 0),
    headerBytes: js.reduce((sum, r) => sum + Math.min(r.headerBytes ?? 0, r.bytes), 0),
    encodings: [...new Set(js.filter((r) => r.status).map((r) => r.encoding))],
    acceptEncodings: [...new Set(js.map((r) => r.acceptEncoding).filter(Boolean))],
    files: js.map((r) => ({ path: new URL(r.url).pathname, bytes: r.bytes, encoding: r.encoding, failed: r.failed })),
  };
}

/** Throttles the page's CPU (`rate`×) and network (`network`, e.g. SLOW_NETWORK); before the navigation. */
export async function throttle(cdp, { rate, network }) {
  if (rate) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  if (network) await cdp.send('Network.emulateNetworkConditions', network);
}
