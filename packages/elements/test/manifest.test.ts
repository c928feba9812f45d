/**
 * custom-elements.json (built from the JSDoc by `npm run build`) documents every tag we
 * register: a summary, every attribute with its description, events, parts and CSS properties.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pkg = join(import.meta.dirname, '..');
interface Declaration {
  tagName?: string;
  summary?: string;
  attributes?: Array<{ name?: string; description?: string }>;
  events?: Array<{ name?: string; description?: string }>;
  cssParts?: Array<{ name: string }>;
}
const manifest = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const registered = files(join(pkg, 'src'))
  .filter((f) => /[\\/]consult-[a-z-]+\.ts$/.test(f))
  .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/defineElement\('(consult-[a-z-]+)'/g)].map((m) => m[1]!));

it('documents every registered tag', () => {
  assert.ok(registered.includes('consult-star-rating'));
  assert.deepEqual(elements.map((e) => e.tagName).sort(), [...new Set(registered)].sort());
});

it('gives every element a summary, described attributes, named events and a base part', () => {
  for (const element of elements) {
    assert.ok(element.summary && element.summary.length > 20, `${element.tagName}: summary`);
    for (const attribute of element.attributes ?? []) {
      assert.ok(attribute.description, `${element.tagName}: attribute ${attribute.name} has no description`);
    }
    assert.ok((element.events ?? []).every((e) => e.name && e.description), `${element.tagName}: every event named and described`);
    assert.ok((element.events ?? []).some((e) => e.name === 'consult-error'), `${element.tagName}: consult-error`);
    assert.ok((element.cssParts ?? []).some((p) => p.name === 'base'), `${element.tagName}: part base`);
  }
});
