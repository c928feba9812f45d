/**
 * What custom-elements.json (generated from the components' JSDoc by `npm run analyze`) says about
 * a tag: its events, CSS parts, custom properties and attributes — for the docs pages' tables.
 */
import manifest from '../../packages/elements/custom-elements.json' with { type: 'json' };

interface Named {
  name: string;
  description?: string;
  type?: { text?: string };
}

interface Declaration {
  tagName?: string;
  summary?: string;
  description?: string;
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  attributes?: Named[];
  slots?: Named[];
}

export function declarationOf(tag: string): Declaration {
  for (const mod of (manifest as { modules: Array<{ declarations?: Declaration[] }> }).modules) {
    for (const d of mod.declarations ?? []) if (d.tagName === tag) return d;
  }
  throw new Error(`${tag} is not in custom-elements.json (run npm run analyze)`);
}

export const eventsOf = (tag: string): Named[] => declarationOf(tag).events ?? [];
export const partsOf = (tag: string): Named[] => declarationOf(tag).cssParts ?? [];
export const cssPropertiesOf = (tag: string): Named[] => declarationOf(tag).cssProperties ?? [];
