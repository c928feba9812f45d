/**
 * `<ReferenceTables tag="consult-…" />` for the MDX docs pages: the element's events, CSS parts
 * and custom properties, read from custom-elements.json (so the docs cannot drift from the JSDoc).
 * Plain `createElement` so that it needs no JSX settings in the TypeScript config.
 */
import { createElement as h, type ReactElement } from 'react';
import { cssPropertiesOf, eventsOf, partsOf } from './manifest.js';

function table(caption: string, rows: Array<{ name: string; description?: string; type?: { text?: string } }>, withType = false): ReactElement {
  return h(
    'table',
    null,
    h('caption', null, caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), withType ? h('th', { scope: 'col' }, 'detail') : null, h('th', { scope: 'col' }, 'Description'))),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h('tr', { key: r.name }, h('td', null, h('code', null, r.name)), withType ? h('td', null, r.type?.text ? h('code', null, r.type.text) : '—') : null, h('td', null, r.description ?? '')),
      ),
    ),
  );
}

export function ReferenceTables({ tag }: { tag: string }): ReactElement {
  return h(
    'div',
    null,
    h('h3', null, 'Events'),
    table(`Events of <${tag}>`, eventsOf(tag), true),
    h('h3', null, 'CSS parts'),
    table(`::part() names of <${tag}>`, partsOf(tag)),
    h('h3', null, 'CSS custom properties'),
    table(`Custom properties read by <${tag}>`, cssPropertiesOf(tag)),
  );
}

/** Text with `code` spans (between backticks) and *emphasis* (between asterisks), as React nodes. */
function inline(text: string): Array<string | ReactElement> {
  return text.split(/(`[^`]+`|\*[^*]+\*)/).map((part, i) =>
    part.startsWith('`') ? h('code', { key: i }, part.slice(1, -1)) : part.startsWith('*') && part.length > 2 ? h('em', { key: i }, part.slice(1, -1)) : part,
  );
}

/** The WCAG 2.2 criteria a component meets: criterion, how, how it is tested. */
export function CriteriaTable({ rows }: { rows: Array<[string, string, string]> }): ReactElement {
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'WCAG 2.2 criterion'), h('th', { scope: 'col' }, 'How the component meets it'), h('th', { scope: 'col' }, 'How it is tested'))),
    h(
      'tbody',
      null,
      rows.map(([criterion, how, test]) => h('tr', { key: criterion }, h('th', { scope: 'row' }, criterion), h('td', null, ...inline(how)), h('td', null, ...inline(test)))),
    ),
  );
}
