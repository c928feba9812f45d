#!/usr/bin/env node
// Writes precompressed siblings for static files, so a server sends them without compressing
// on each request: `X.br` (Brotli, quality 11, the largest standard window) and `X.gz` (gzip,
// level 9) beside every .js .mjs .css .svg .map .html file in the given folders (recursively).
//
//   node scripts/precompress.mjs                 packages/embed/dist and packages/studio/dist/app
//                                                (what `npm run build` runs; each when built)
//   node scripts/precompress.mjs <folder>…       those folders instead
//   node scripts/precompress.mjs --force …       recompress even siblings that are up to date
//
// - A sibling is up to date when it is newer than its file (the server uses a sibling only then:
//   packages/server/src/routes/static.ts), so running it twice recompresses nothing.
// - A sibling that would not be smaller than its file is not written (an old one is removed).
// - Each sibling is written to a temporary name and renamed, so a running server never reads half
//   of one; siblings whose file is gone (an old chunk's) are removed.
// - Hidden entries and symbolic links are skipped: nothing is written outside the folders.
//
// Never point it at a folder that is in git (examples/portal): the server compresses those files
// itself, once per version, in memory.
import { lstat, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** The extensions that get siblings. */
export const COMPRESSIBLE = ['.js', '.mjs', '.css', '.svg', '.map', '.html'];

/** The sibling suffixes and how each is made (the same bytes for the same input, every time). */
export const ENCODERS = {
  '.br': (data) =>
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  '.gz': (data) => gz(data, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 }),
};

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The folder compressed when none is given. */
export const DEFAULT_FOLDER = join(ROOT, 'packages/embed/dist');
/** The studio's app (served at /studio/app/ by the server), compressed too when none is given. */
export const STUDIO_FOLDER = join(ROOT, 'packages/studio/dist/app');

const isCompressible = (name) => COMPRESSIBLE.includes(extname(name).toLowerCase());

async function statOrUndefined(path) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

async function walk(dir, out) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Runs `task` over `items`, `limit` at a time (zlib's asynchronous calls use libuv's 4 threads). */
async function eachLimited(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Writes the siblings of every compressible file under each folder.
 * @param {string[]} folders
 * @param {{ force?: boolean }} [options]
 * @returns {Promise<{ files: number, written: string[], fresh: number, notSmaller: string[], removed: string[], bytes: Record<string, { before: number, after: number }> }>}
 */
export async function precompress(folders, { force = false } = {}) {
  const report = { files: 0, written: [], fresh: 0, notSmaller: [], removed: [], bytes: {} };
  for (const suffix of Object.keys(ENCODERS)) report.bytes[suffix] = { before: 0, after: 0 };
  const all = [];
  for (const folder of folders) {
    const info = await lstat(folder);
    if (!info.isDirectory()) throw new Error(`${folder} is not a folder`);
    await walk(folder, all);
  }
  const present = new Set(all);
  // Siblings whose file is gone.
  for (const path of all) {
    const suffix = extname(path);
    if (!(suffix in ENCODERS)) continue;
    const source = path.slice(0, -suffix.length);
    if (isCompressible(source) && !present.has(source)) {
      await rm(path, { force: true });
      report.removed.push(path);
    }
  }
  const sources = all.filter(isCompressible);
  report.files = sources.length;
  const jobs = sources.flatMap((source) => Object.keys(ENCODERS).map((suffix) => ({ source, suffix })));
  await eachLimited(jobs, 4, async ({ source, suffix }) => {
    const target = source + suffix;
    const [from, existing] = await Promise.all([stat(source), statOrUndefined(target)]);
    if (!force && existing?.isFile() && existing.mtimeMs >= from.mtimeMs) {
      report.fresh += 1;
      return;
    }
    const data = await readFile(source);
    const packed = await ENCODERS[suffix](data);
    if (packed.length >= data.length) {
      if (existing) await rm(target, { force: true });
      report.notSmaller.push(target);
      return;
    }
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, packed);
    await rename(temporary, target);
    report.written.push(target);
    report.bytes[suffix].before += data.length;
    report.bytes[suffix].after += packed.length;
  });
  return report;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
  let folders = positionals.map((p) => resolve(p));
  if (folders.length === 0) {
    for (const [folder, what] of [
      [DEFAULT_FOLDER, 'the embed'],
      [STUDIO_FOLDER, 'the studio'],
    ]) {
      if ((await statOrUndefined(folder))?.isDirectory()) folders.push(folder);
      else console.log(`precompress: ${folder} does not exist (${what} is not built); skipped`);
    }
    if (folders.length === 0) return;
  }
  const report = await precompress(folders, { force: values.force });
  const sizes = Object.entries(report.bytes)
    .filter(([, b]) => b.before > 0)
    .map(([suffix, b]) => `${suffix} ${kib(b.before)} → ${kib(b.after)}`)
    .join(', ');
  console.log(
    `precompress: ${report.files} files; ${report.written.length} siblings written${sizes ? ` (${sizes})` : ''}, ` +
      `${report.fresh} up to date, ${report.notSmaller.length} not smaller (none written), ${report.removed.length} stale removed`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`precompress: ${error.message}`);
    process.exit(1);
  });
}
