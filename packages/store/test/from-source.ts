/**
 * An esbuild plugin for the test pages that bundle the machine and the store from their sources:
 * every way the packages are imported (`@consult-kit/machine`, its `core` and `checker` entries,
 * and the deep `dist/…` paths the embed's first view uses) resolves to the `src/` file behind it.
 */
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

const ROOT = join(import.meta.dirname, '../../..');

export function fromSource(): Plugin {
  return {
    name: 'consult-kit-from-source',
    setup(build) {
      build.onResolve({ filter: /^@consult-kit\/(machine|store)(\/.*)?$/ }, ({ path }) => {
        const [, pkg, rest = ''] = /^@consult-kit\/(machine|store)(\/.*)?$/.exec(path)!;
        const src = join(ROOT, 'packages', pkg!, 'src');
        if (rest === '') return { path: join(src, 'index.ts') };
        if (rest.startsWith('/dist/')) return { path: join(src, rest.slice('/dist/'.length).replace(/\.js$/, '.ts')) };
        return { path: join(src, `${rest.slice(1)}.ts`) };
      });
    },
  };
}
