// Builds every workspace package to ESM + .d.ts. Each package lists its entry points here;
// dependencies stay external (the embed issue bundles them into one file).
import typescript from '@rollup/plugin-typescript';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyHTMLLiterals } from 'minify-literals';
import { copyFileSync, readFileSync } from 'node:fs';

const packages = [
  {
    dir: 'packages/machine',
    entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
    // Published at the package root, so a city's config can say
    // "$schema": "./node_modules/@consult-kit/machine/workflow.schema.json".
    copy: { 'src/config/workflow.schema.json': 'workflow.schema.json' },
  },
  { dir: 'packages/store', entries: { index: 'src/index.ts' } },
  { dir: 'packages/server', entries: { index: 'src/index.ts', cli: 'src/cli.ts' } },
  { dir: 'packages/elements', entries: { index: 'src/index.ts', all: 'src/all.ts' } },
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
 * packages/embed: one self-contained file (every dependency inside, Lit's production build),
 * minified, as ESM and as an IIFE (`window.ConsultKit`). Built last: it bundles the `dist/` of the
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

const embed = {
  input: 'packages/embed/src/consult-kit.ts',
  output: [
    { file: 'packages/embed/dist/consult-kit.min.js', format: 'esm', sourcemap: true, plugins: [minify({ module: true })] },
    // Not `module: true` here: that mangles top-level names, and `ConsultKit` must stay global.
    { file: 'packages/embed/dist/consult-kit.iife.min.js', format: 'iife', name: 'ConsultKit', sourcemap: true, plugins: [minify({ module: false })] },
  ],
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    json({ preferConst: true }),
    minifyCssLiterals(),
    typescript({ tsconfig: 'packages/embed/tsconfig.build.json', noEmitOnError: true }),
  ],
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
    if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
    warn(warning);
  },
};

/**
 * `BUILD_ONLY=machine,store npx rollup -c rollup.config.js` builds only those packages (`embed`
 * for the embed): quicker while working on one package. `npm run build` builds everything.
 */
const only = process.env.BUILD_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const all = [...libraries.map((config, i) => ({ name: packages[i].dir.split('/')[1], config })), { name: 'embed', config: embed }];

export default only ? all.filter((b) => only.includes(b.name)).map((b) => b.config) : all.map((b) => b.config);
