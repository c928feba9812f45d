/** Where this package lives on disk, from `src/` (tests) and from `dist/` (the build) alike. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of `@consult-kit/server`'s package.json, found by walking up from this module. */
export function packageDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@consult-kit/server') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`@consult-kit/server's package.json is not above ${from}`);
  }
}
