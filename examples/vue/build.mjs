#!/usr/bin/env node
/**
 * Builds the Vue host app with esbuild into `dist/` (or `--outdir <folder>`): one ES module
 * (`main.js`: Vue's runtime-only esm-bundler build, the app and @consult-kit/embed), its
 * stylesheet (`main.css`) and `index.html`. No template compiler in the browser (it would need
 * `new Function`), no inline script or style, so the page runs under a strict CSP.
 *
 *   node build.mjs                     → examples/vue/dist/
 *   node build.mjs --outdir /tmp/out   → /tmp/out/
 *   node build.mjs --dev               → unminified, with Vue's development warnings
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
    entryPoints: { main: join(here, 'src/main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: !dev,
    sourcemap: true,
    legalComments: 'linked',
    // `import 'vue'` resolves (package.json "exports" → "import" → "default") to
    // dist/vue.runtime.esm-bundler.js: the runtime only, no template compiler. Its compile-time
    // flags are set here, as Vue's docs ask of every bundler.
    define: {
      'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
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
  console.log(`Built the Vue example into ${built}`);
}
