// Builds the three page scripts with esbuild (minified ESM for browsers) into bench/.out/, and
// says which CSS each library needs. One build serves both the size rows and the DOM rows.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BENCH = fileURLToPath(new URL('..', import.meta.url));
// Outside bench/ (under node_modules/.cache), so neither git nor eslint sees the bundles.
export const OUT = fileURLToPath(new URL('../../node_modules/.cache/consult-kit-bench/', import.meta.url));
const require = createRequire(import.meta.url);

/** The three libraries: their page script, the CSS their form needs, and how to find their fields. */
export const LIBRARIES = [
  {
    id: 'ours',
    name: 'consult-kit',
    entry: 'pages/consult-kit.js',
    css: [],
    cssNote: 'no CSS file: styles ship inside the JS (shadow DOM)',
  },
  {
    id: 'surveyjs',
    name: 'SurveyJS',
    entry: 'pages/surveyjs.js',
    css: [require.resolve('survey-core/survey-core.min.css')],
    cssNote: 'survey-core.min.css (the default theme)',
  },
  {
    id: 'formio',
    name: 'Form.io',
    entry: 'pages/formio.js',
    css: [require.resolve('@formio/js/dist/formio.form.min.css'), require.resolve('bootstrap/dist/css/bootstrap.min.css')],
    cssNote: 'formio.form.min.css + bootstrap.min.css 5 (its default templates are Bootstrap 5 markup; unstyled without it)',
  },
];

/** The installed version of a package (read from node_modules: some do not export package.json). */
export function versionOf(pkg) {
  const file = fileURLToPath(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** Builds every page script; resolves to { [id]: { js: path, css: path[] } }. */
/** One page script as every bench page is built: minified ESM for browsers, one file. */
export function bundle(entry, outfile, options = {}) {
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'error',
    ...options,
  });
}

export async function buildAll() {
  mkdirSync(OUT, { recursive: true });
  const out = {};
  for (const lib of LIBRARIES) {
    const outfile = `${OUT}${lib.id}.js`;
    await bundle(`${BENCH}${lib.entry}`, outfile, { define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' } });
    out[lib.id] = { js: outfile, css: lib.css };
  }
  return out;
}
