// Builds every workspace package to ESM + .d.ts. Each package lists its entry points here;
// dependencies stay external (the embed issue bundles them into one file).
import typescript from '@rollup/plugin-typescript';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyHTMLLiterals } from 'minify-literals';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';

const packages = [
  {
    dir: 'packages/machine',
    entries: { index: 'src/index.ts', core: 'src/core.ts', checker: 'src/checker.ts', cli: 'src/cli.ts' },
    // Published at the package root, so a city's config can say
    // "$schema": "./node_modules/@consult-kit/machine/workflow.schema.json".
    copy: { 'src/config/workflow.schema.json': 'workflow.schema.json' },
  },
  { dir: 'packages/store', entries: { index: 'src/index.ts' } },
  { dir: 'packages/server', entries: { index: 'src/index.ts', cli: 'src/cli.ts' } },
  { dir: 'packages/elements', entries: { index: 'src/index.ts', all: 'src/all.ts' } },
  { dir: 'packages/studio', entries: { index: 'src/index.ts', 'consult-studio': 'src/consult-studio.ts' } },
];

/** Copies files a package publishes beside its bundle. */
const copy = (dir, files = {}) => ({
  name: 'copy',
  writeBundle() {
    for (const [from, to] of Object.entries(files)) copyFileSync(`${dir}/${from}`, `${dir}/${to}`);
  },
});

const libraries = packages.map(({ dir, entries, copy: files }) => {
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  return {
    input: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `${dir}/${file}`])),
    external: (id) => id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`)),
    // One output file per source module: `dist/` mirrors `src/`, so `sideEffects` globs and deep
    // imports (`@consult-kit/elements/dist/star-rating/consult-star-rating.js`) work.
    output: { dir: `${dir}/dist`, format: 'esm', sourcemap: true, preserveModules: true, preserveModulesRoot: `${dir}/src` },
    plugins: [
      json({ preferConst: true }),
      typescript({ tsconfig: `${dir}/tsconfig.build.json`, outDir: `${dir}/dist`, declarationDir: `${dir}/dist`, noEmitOnError: true }),
      copy(dir, files),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
      warn(warning);
    },
  };
});

/**
 * packages/embed: the module build in parts and the classic-script build in one file (every
 * dependency inside, Lit's production build), minified. Built last: it bundles the `dist/` of the
 * packages above. Terser, not esbuild's minifier: a few KiB smaller on this bundle, and the
 * bundle never needs `eval`.
 */
const minify = ({ module }) => terser({ ecma: 2020, module, compress: { passes: 2 }, format: { comments: false } });

/**
 * Minifies the CSS inside the elements' `css` tagged templates (Lightning CSS, via minify-literals):
 * terser leaves template text alone, and the styles' comments and indentation were ≈ 2 KiB of the
 * embed's gzip. HTML templates are left as written (`html: false`): collapsing the whitespace
 * between inline elements would change what people read, for a gain of ≈ 0.2 KiB.
 */
const minifyCssLiterals = () => ({
  name: 'minify-css-literals',
  async transform(code, id) {
    if (!/[\\/]packages[\\/]elements[\\/]dist[\\/].*\.js$/.test(id) || !/\bcss\s*`/.test(code)) return null;
    const result = await minifyHTMLLiterals(code, { fileName: id, html: false });
    return result && { code: result.code, map: result.map };
  },
});

/**
 * Fills the module entry's `__CONSULT_KIT_PRELOAD__` with, for each tag, the chunks its element
 * needs (its own chunk and every chunk it imports, transitively), relative to the entry: the
 * entry adds `modulepreload` links for them, so a view's files download in parallel.
 */
const preloadMap = () => ({
  name: 'consult-kit-preload-map',
  generateBundle(_options, bundle) {
    const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const needs = (fileName, seen = new Set()) => {
      if (seen.has(fileName)) return seen;
      seen.add(fileName);
      for (const dep of byName.get(fileName)?.imports ?? []) needs(dep, seen);
      return seen;
    };
    const map = {};
    for (const chunk of chunks) {
      if (chunk.isEntry) continue;
      // The element's module is the chunk's facade, or one of the modules of a manual chunk
      // (the resident's first view).
      for (const id of [chunk.facadeModuleId ?? '', ...Object.keys(chunk.modules)]) {
        const tag = /[\\/]elements[\\/]dist[\\/][a-z-]+[\\/](consult-[a-z-]+)\.js$/.exec(id)?.[1];
        if (tag && tag !== 'consult-events' && tag !== 'consult-element') map[tag] = [...needs(chunk.fileName)].map((f) => `./${f}`);
      }
    }
    const entry = chunks.find((c) => c.isEntry);
    const literal = /(["'`])__CONSULT_KIT_PRELOAD__\1/;
    if (!entry || !literal.test(entry.code)) this.error('the module entry has no __CONSULT_KIT_PRELOAD__ to fill');
    entry.code = entry.code.replace(literal, () => JSON.stringify(JSON.stringify(map)));
  },
});

/** Empties `chunks/` first: rollup never deletes a file, and old chunks would be served and counted. */
const cleanChunks = () => ({
  name: 'consult-kit-clean-chunks',
  buildStart() {
    rmSync('packages/embed/dist/chunks', { recursive: true, force: true });
  },
});

const embedPlugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  json({ preferConst: true }),
  minifyCssLiterals(),
  typescript({ tsconfig: 'packages/embed/tsconfig.build.json', noEmitOnError: true }),
];

const embedWarnings = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
  if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
  warn(warning);
};

/**
 * What a resident's first view needs, in as few files as possible (each request costs its headers
 * and a round trip on a slow network, and one file compresses better than many): everything the
 * workflow element imports statically goes into one chunk, `resident`; the messages that view
 * shows go into one chunk per language. Everything else is split as rollup splits it: by who
 * imports it, loaded on demand.
 */
const FIRST_VIEW_ELEMENT = /[\\/]elements[\\/]dist[\\/]workflow[\\/]consult-workflow\.js$/;
const FIRST_VIEW_MESSAGES = /[\\/]elements[\\/]dist[\\/]i18n[\\/](en|zh-CN)[\\/](core|workflow|roles|follow)\.js$/;
const PACKAGE_BARREL = /[\\/]packages[\\/](store|machine)[\\/]dist[\\/](index|core)\.js$/;
let firstView;
function firstViewChunks(id, { getModuleIds, getModuleInfo }) {
  const messages = FIRST_VIEW_MESSAGES.exec(id);
  if (messages) return `messages-${messages[1]}`;
  if (!firstView) {
    firstView = new Set();
    const start = [...getModuleIds()].find((m) => FIRST_VIEW_ELEMENT.test(m));
    const walk = (m) => {
      if (firstView.has(m)) return;
      // Not through our packages' barrels (store, machine): they re-export everything, most of it
      // for later views; what the first view takes from them rollup places by who uses it.
      if (PACKAGE_BARREL.test(m)) return;
      firstView.add(m);
      for (const next of getModuleInfo(m)?.importedIds ?? []) walk(next);
    };
    if (start) walk(start);
  }
  return firstView.has(id) ? 'resident' : undefined;
}

/**
 * The module build: a small entry (`consult-kit.min.js`) and content-hashed chunks in `chunks/`,
 * one per element and per part an element loads on demand, shared code in chunks of its own.
 */
const embed = {
  input: { 'consult-kit': 'packages/embed/src/consult-kit.ts' },
  output: {
    dir: 'packages/embed/dist',
    format: 'esm',
    sourcemap: true,
    entryFileNames: '[name].min.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    manualChunks: firstViewChunks,
    plugins: [minify({ module: true }), preloadMap()],
  },
  plugins: [cleanChunks(), ...embedPlugins()],
  onwarn: embedWarnings,
};

/** The classic-script build: everything in one file, `window.ConsultKit`. */
const embedIife = {
  input: 'packages/embed/src/consult-kit.iife.ts',
  // Not `module: true` here: that mangles top-level names, and `ConsultKit` must stay global.
  output: { file: 'packages/embed/dist/consult-kit.iife.min.js', format: 'iife', name: 'ConsultKit', sourcemap: true, inlineDynamicImports: true, plugins: [minify({ module: false })] },
  plugins: embedPlugins(),
  onwarn: embedWarnings,
};

/**
 * packages/studio's app: what `/studio` loads (`dist/app/consult-studio.js`), every dependency
 * inside, minified, in parts: the panes a person opens later (the JSON editor, the diagram) are
 * chunks loaded when opened. Never part of the embed: a resident never downloads any of it.
 */
const studioApp = {
  input: { 'consult-studio': 'packages/studio/dist/consult-studio.js' },
  output: { dir: 'packages/studio/dist/app', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', plugins: [minify({ module: true })] },
  plugins: [
    {
      name: 'clean-studio-app',
      buildStart() {
        rmSync('packages/studio/dist/app', { recursive: true, force: true });
      },
    },
    json({ preferConst: true }),
    nodeResolve({ browser: true, exportConditions: ['production', 'browser'] }),
  ],
  onwarn: embedWarnings,
};

/**
 * `BUILD_ONLY=machine,store npx rollup -c rollup.config.js` builds only those packages (`embed`
 * for the embed): quicker while working on one package. `npm run build` builds everything.
 */
const only = process.env.BUILD_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const all = [...libraries.map((config, i) => ({ name: packages[i].dir.split('/')[1], config })), { name: 'embed', config: embed }, { name: 'embed', config: embedIife }, { name: 'studio', config: studioApp }];

export default only ? all.filter((b) => only.includes(b.name)).map((b) => b.config) : all.map((b) => b.config);
