#!/usr/bin/env node
// Makes sure a Chromium that the browser tests can drive is installed, and says which one.
//
//   node scripts/ensure-chromium.mjs     finds it (installs Debian's `chromium` when run as root
//                                        where apt-get exists), checks that it starts, exits 1 if not
//   import { chromiumPath } from './scripts/ensure-chromium.mjs'
//                                        the path web-test-runner.config.js hands to Playwright
//
// Browsers cannot be downloaded by npm tools on our machines, so Playwright never fetches its own:
// it launches this executable. Order: $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser.
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Flags for headless Chromium here: no sandbox (root in a container), no GPU, and nothing that
 * reaches out to the network on its own (this machine's network is closed).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable to use, or `undefined` when none is installed. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find(isExecutable);
}

/** The Chromium executable to use; throws with install advice when none is installed. */
export function chromiumPath() {
  const path = findChromium();
  if (!path) throw new Error(`No Chromium found. ${howToInstall()}`);
  return path;
}

function howToInstall() {
  const where = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`
    : `none of ${CANDIDATES.join(', ')} exists`;
  return (
    `The browser tests need Chromium, and ${where}.\n` +
    '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
    '  (or run `node scripts/ensure-chromium.mjs` as root to do that),\n' +
    '  or point CHROMIUM_PATH at a Chromium/Chrome executable.'
  );
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(`ensure-chromium: ${howToInstall()}`);
    if (!hasApt) console.error('  (apt-get is not available here, so it cannot be installed automatically.)');
    else console.error('  (not running as root, so it is not installed automatically.)');
    process.exit(1);
  }
  console.log('ensure-chromium: Chromium is missing; installing Debian\'s "chromium" package (apt-get update, apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0) {
    console.error('ensure-chromium: `apt-get update` failed.');
    process.exit(1);
  }
  if (run('apt-get', ['install', '-y', 'chromium'], { env }) !== 0) {
    console.error('ensure-chromium: `apt-get install -y chromium` failed.');
    process.exit(1);
  }
}

/** Asks for the version, then really starts it headless and renders a page, so a broken install fails here. */
function checkLaunches(path) {
  const fail = (what, result) => {
    console.error(`ensure-chromium: ${path} is installed but ${what}:`);
    if (result.error) console.error(`  ${result.error.message}`);
    if (result.stderr) console.error(result.stderr.trim().split('\n').slice(-20).join('\n').replace(/^/gm, '  '));
    process.exit(1);
  };
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const options = { encoding: 'utf8', timeout: 60_000 };

  const versionRun = spawnSync(path, [...flags, '--version'], options);
  // Debian's launcher script may print shell noise first; the version is the last line.
  const version = versionRun.stdout?.trim().split('\n').pop();
  if (versionRun.error || versionRun.status !== 0 || !version) fail('does not report its version', versionRun);

  const marker = 'consult-kit-chromium-ok';
  const profile = mkdtempSync(join(tmpdir(), 'ensure-chromium-'));
  const pageRun = spawnSync(path, [...flags, `--user-data-dir=${profile}`, '--dump-dom', `data:text/html,<p>${marker}</p>`], options);
  rmSync(profile, { recursive: true, force: true });
  if (pageRun.error || pageRun.status !== 0 || !pageRun.stdout?.includes(marker)) fail('does not start headless and render a page', pageRun);
  return version;
}

function main() {
  if (!findChromium()) {
    if (process.env.CHROMIUM_PATH) {
      console.error(`ensure-chromium: ${howToInstall()}`);
      process.exit(1);
    }
    install();
  }
  const path = findChromium();
  if (!path) {
    console.error(`ensure-chromium: installed, but still cannot find Chromium. ${howToInstall()}`);
    process.exit(1);
  }
  console.log(`ensure-chromium: using ${path} (${checkLaunches(path)})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
