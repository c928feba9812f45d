/**
 * The machine's `core` entry stays free of the checker (the embed's first view depends on it):
 * nothing `core.ts` imports, however indirectly, is a check module, the schema or its validator.
 * The `checker` entry is what brings them.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module and package a source file reaches through its static imports and re-exports (type-only ones left out). */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    if (!file.endsWith('.ts')) return;
    const source = readFileSync(file, 'utf8');
    for (const [, typeOnly, spec] of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      if (typeOnly) continue;
      if (!spec!.startsWith('.')) packages.add(spec!);
      else visit(join(dirname(file), spec!.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(SRC, entry));
  return { files, packages };
}

it('core reaches no check module, no schema and no validator', () => {
  const { files, packages } = reach('core.ts');
  const names = [...files].map((f) => relative(SRC, f));
  assert.ok(names.includes('diagram.ts') && names.includes('config/config.types.ts'), 'the walk follows imports');
  assert.deepEqual(names.filter((n) => n.startsWith('config/check/') || n === 'config/parse-config.ts' || n.endsWith('.json')), []);
  assert.ok(!packages.has('@cfworker/json-schema'), [...packages].join(', '));
});

it('the checker entry reaches every check module and the validator', () => {
  const { files, packages } = reach('checker.ts');
  const names = [...files].map((f) => relative(SRC, f));
  for (const part of ['schema', 'snapshot', 'form', 'privacy', 'lifecycle', 'transport', 'notifications', 'sections', 'pipeline']) {
    assert.ok(names.includes(`config/check/${part}.ts`), part);
  }
  assert.ok(names.includes('config/workflow.schema.json'));
  assert.ok(packages.has('@cfworker/json-schema'));
});
