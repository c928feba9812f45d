// Lighthouse (pinned at 12.2.3 in the root package.json: 13 needs Node 22) on one URL, for the
// load section (bench/load.mjs): its performance category only, its default settings (mobile form
// factor and screen, simulated throttling: 150 ms RTT, 1.6 Mbit/s, CPU 4×), in a Chromium of its
// own per run (chrome-launcher: a fresh profile, so no cache), Debian's Chromium headless, no
// sandbox when root, and every host name but loopback failing to resolve (nothing leaves the
// machine; a library's web font fails fast instead of waiting for a network that is not there).
import lighthouse from 'lighthouse';
import { launch } from 'chrome-launcher';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/ensure-chromium.mjs';
import { versionOf } from './build.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const LIGHTHOUSE_FLAGS = [
  '--headless',
  ...CHROMIUM_ARGS.filter((flag) => flag !== '--no-sandbox'),
  ...(isRoot ? ['--no-sandbox'] : []),
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export const lighthouseVersion = () => versionOf('lighthouse');

/**
 * One Lighthouse run of `url`: { score (0–100), tbt, fcp, lcp, si, tti (ms), cls, warnings, settings }.
 * Throws when Lighthouse reports a runtime error (the page did not load).
 */
export async function lighthouseRun(url) {
  const chrome = await launch({ chromePath: chromiumPath(), chromeFlags: LIGHTHOUSE_FLAGS, logLevel: 'silent' });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse gave no result for ${url}`);
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const value = (id) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const score = lhr.categories.performance.score;
    return {
      score: score === null ? Number.NaN : score * 100,
      tbt: value('total-blocking-time'),
      fcp: value('first-contentful-paint'),
      lcp: value('largest-contentful-paint'),
      si: value('speed-index'),
      tti: value('interactive'),
      cls: value('cumulative-layout-shift'),
      warnings: lhr.runWarnings ?? [],
      settings: { formFactor: lhr.configSettings.formFactor, method: lhr.configSettings.throttlingMethod, throttling: lhr.configSettings.throttling, version: lhr.lighthouseVersion },
    };
  } finally {
    await chrome.kill();
  }
}
