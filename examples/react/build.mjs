#!/usr/bin/env node
/**
 * Builds the React host app with esbuild into `dist/` (or `--outdir <folder>`): one ES module
 * (`main.js`: React, the app and @consult-kit/embed), its stylesheet (`main.css`) and
 * `index.html`. No inline script or style, so the page runs under a strict CSP.
 *
 *   node build.mjs                     → examples/react/dist/
 *   node build.mjs --outdir /tmp/out   → /tmp/out/
 *   node build.mjs --dev               → unminified, React's development build
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Builds the app; resolves with the output folder. */
export async function build({ outdir = join(here, 'dist'), dev = false } = {}) {
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(here, 'src/main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: !dev,
    sourcemap: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    logLevel: 'warning',
  });
  await copyFile(join(here, 'src/index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 && args[at + 1] ? resolve(args[at + 1]) : undefined;
  const built = await build({ ...(outdir ? { outdir } : {}), dev: args.includes('--dev') });
  console.log(`Built the React example into ${built}`);
}
