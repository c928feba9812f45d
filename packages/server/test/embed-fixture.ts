/**
 * What the static-file tests share: requests through `node:http` with exactly the headers a test
 * gives (`fetch` adds its own `Accept-Encoding` and decodes the body), and a fake embed folder laid
 * out as the build writes it — the ESM entry, its IIFE twin, `.map`s and content-hashed chunks
 * under `chunks/` named as rollup's `[name]-[hash]` writes them — so the tests do not wait for the
 * real build to split the embed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** An answer as it came over the wire. */
export interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request to `base + path` with exactly these headers; the body as sent (not decoded). */
export function raw(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A header's value (a repeated one joined as HTTP would). */
export function headerOf(res: Raw, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The body with its content coding removed. */
export function decoded(res: Raw): Buffer {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  assert.equal(coding, undefined, `unexpected coding ${String(coding)}`);
  return res.body;
}

/** Text that compresses (a minified bundle's worth of repetition, with some variety). */
export function bundle(name: string, lines = 400): string {
  return Array.from({ length: lines }, (_, i) => `export const ${name}${i} = () => customElements.get("consult-${name}-${i % 17}") ?? ${i * 7};\n`).join('');
}

/** The fake embed's files, by role. */
export const EMBED = {
  entry: 'consult-kit.min.js',
  iife: 'consult-kit.iife.min.js',
  /** A chunk whose hash holds `_` and `-`, as rollup's base64url hashes may. */
  chunk: 'chunks/staff-actions-Ab1_x-Z9.js',
  chunkCss: 'chunks/studio-QwErTy12.css',
  chunkMap: 'chunks/staff-actions-Ab1_x-Z9.js.map',
  /** Under chunks/, but not content-hashed. */
  unhashed: ['chunks/plain.js', 'chunks/short-abc123.js'],
  module: 'consult-kit.mjs',
} as const;

/** Writes the fake embed into `dir` (made if missing). */
export function writeFakeEmbed(dir: string): void {
  mkdirSync(join(dir, 'chunks'), { recursive: true });
  writeFileSync(join(dir, EMBED.entry), `import("./${EMBED.chunk}");\n${bundle('entry')}`);
  writeFileSync(join(dir, `${EMBED.entry}.map`), JSON.stringify({ version: 3, mappings: 'AAAA;'.repeat(4000) }));
  writeFileSync(join(dir, EMBED.iife), `var ConsultKit=(function(){${bundle('iife')}})();`);
  writeFileSync(join(dir, EMBED.module), bundle('module'));
  writeFileSync(join(dir, EMBED.chunk), bundle('staff'));
  writeFileSync(join(dir, EMBED.chunkMap), JSON.stringify({ version: 3, mappings: 'CAAC;'.repeat(3000) }));
  writeFileSync(join(dir, EMBED.chunkCss), ':host{display:block}\n'.repeat(300));
  for (const path of EMBED.unhashed) writeFileSync(join(dir, path), bundle(path.replace(/\W/g, '')));
}
