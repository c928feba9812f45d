// Size by part: where the embed's bytes come from, read from its source map, and how close the
// parts we cannot drop already come to the 40 KiB target (issue 7).
//
// Every byte of packages/embed/dist/consult-kit.iife.min.js (the one-file build: every element,
// every language; the module build's files are split by view, see the `load` section) is attributed to the source file its source
// map names, and the files are grouped into parts: the libraries the design fixes (Lit,
// @lit/context, XState, idb) and the JSON Schema validator, the two-language message catalogue, the
// config checker, the elements, the lifecycle machine and the store. Each part is then gzipped on
// its own (gzip -9). Parts share words, so their sizes add up to a little more than the whole file;
// the "floor" rows gzip several parts together, which is what they would cost in a file with
// nothing else in it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';
import { kib, row } from './lib/table.mjs';

const SECTION = 'Size by part';
const TARGET = 40 * 1024;
const require = createRequire(import.meta.url);
const gz = (text) => gzipSync(text, { level: 9 }).length;

/** The parts, in the order the table lists them; the first whose test matches a source wins. */
export const PARTS = [
  { id: 'fixed', label: 'libraries the design fixes: Lit, @lit/context, XState, idb', test: (s) => /node_modules\/(lit|lit-html|lit-element|@lit|xstate|idb)\//.test(s) },
  { id: 'validator', label: 'JSON Schema validator (@cfworker/json-schema)', test: (s) => s.includes('node_modules/@cfworker/') },
  { id: 'other-libs', label: 'other libraries', test: (s) => s.includes('node_modules/') },
  { id: 'catalogue', label: 'message catalogue, zh-CN + en (elements/i18n)', test: (s) => /elements\/(src|dist)\/i18n\//.test(s) },
  { id: 'config', label: 'config checker + workflow.schema.json (machine/config)', test: (s) => /machine\/(src|dist)\/config\//.test(s) },
  { id: 'elements', label: 'elements: templates, styles, logic', test: (s) => /packages\/elements\//.test(s) || s.includes('/elements/') },
  { id: 'machine', label: 'lifecycle machine, rules, replay', test: (s) => /packages\/machine\//.test(s) || s.includes('/machine/') },
  { id: 'store', label: 'store: IndexedDB log, outbox, sync', test: (s) => /packages\/store\//.test(s) || s.includes('/store/') },
  { id: 'entry', label: 'embed entry', test: () => true },
];

/**
 * The embed's minified text split by part.
 * @param {string} file the minified bundle; its source map is `${file}.map`
 * @returns {{ whole: string, parts: Map<string, string>, segments: { source: string, text: string, part: string }[] }}
 */
export function splitByPart(file) {
  const whole = readFileSync(file, 'utf8');
  const map = new TraceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  // Offset of each line's start, so that a segment runs to the next segment even across lines:
  // the lines inside a multi-line template literal (HTML, CSS) have no mappings of their own.
  const lineStart = [0];
  for (let i = whole.indexOf('\n'); i !== -1; i = whole.indexOf('\n', i + 1)) lineStart.push(i + 1);
  const offsets = [];
  eachMapping(map, (m) => offsets.push({ at: lineStart[m.generatedLine - 1] + m.generatedColumn, source: m.source ?? '' }));
  offsets.sort((a, b) => a.at - b.at);
  const parts = new Map(PARTS.map((p) => [p.id, '']));
  /** Every stretch of the file with the source it came from (text before the first mapping: ''). */
  const segments = [{ source: '', text: whole.slice(0, offsets[0]?.at ?? whole.length) }];
  for (let i = 0; i < offsets.length; i += 1) {
    const end = i + 1 < offsets.length ? offsets[i + 1].at : whole.length;
    segments.push({ source: offsets[i].source, text: whole.slice(offsets[i].at, end) });
  }
  for (const segment of segments) {
    segment.part = PARTS.find((p) => p.test(segment.source)).id;
    parts.set(segment.part, parts.get(segment.part) + segment.text);
  }
  return { whole, parts, segments };
}

/** @returns {import('./lib/table.mjs').Row[]} */
export function run() {
  const file = require.resolve('@consult-kit/embed/consult-kit.iife.min.js');
  const { whole, parts, segments } = splitByPart(file);
  const total = gz(whole);
  const out = [];
  for (const p of PARTS) {
    const text = parts.get(p.id);
    if (!text) continue;
    const size = gz(text);
    out.push(
      row({
        section: SECTION,
        measure: p.label,
        ours: kib(size),
        anchor: `whole embed ${kib(total)}`,
        ratio: size / total,
        note: `${kib(text.length)} minified`,
      }),
    );
  }
  const together = (ids) => gz(ids.map((id) => parts.get(id)).join(''));
  const floors = [
    { ids: ['fixed', 'catalogue'], label: 'floor: the fixed libraries + the catalogue, nothing else' },
    { ids: ['fixed', 'validator', 'config'], label: 'floor: the fixed libraries + the config checker and its validator, nothing else' },
    { ids: ['fixed', 'validator', 'catalogue', 'config'], label: 'floor: the fixed libraries + the catalogue + the config checker and its validator' },
  ];
  for (const f of floors) {
    const size = together(f.ids);
    out.push(
      row({
        section: SECTION,
        measure: f.label,
        ours: kib(size),
        anchor: `target ${kib(TARGET)}`,
        ratio: size / TARGET,
        note: `no element, no lifecycle, no store; ${size >= TARGET ? 'already over' : `${kib(TARGET - size)} left for`} the seven elements, the machine and the store`,
      }),
    );
  }
  // What the planning options in docs/embedding.md ("Size") would leave: the file without the
  // sources each drops, gzipped. An estimate from above and below at once: the glue a real split
  // needs is not counted, and neither is what tree-shaking would drop beside the removed sources.
  const checker = (x) => x.part === 'config' || x.part === 'validator';
  const staffViews = (x) => /staff-actions\/|i18n\/staff\.messages/.test(x.source);
  const scenarios = [
    { drop: checker, label: 'option: the embed without the config checker and its validator (checked by the server or at build time)' },
    { drop: staffViews, label: 'option: the embed without <consult-staff-actions> and its messages (a resident file)' },
    { drop: (x) => checker(x) || staffViews(x), label: 'options together: no config checker, no staff actions' },
    {
      drop: (x) => checker(x) || staffViews(x) || x.part === 'catalogue',
      label: 'options together, and no message catalogue at all (below any one-language catalogue)',
    },
  ];
  for (const { drop, label } of scenarios) {
    const size = gz(segments.filter((x) => !drop(x)).map((x) => x.text).join(''));
    out.push(
      row({
        section: SECTION,
        measure: label,
        ours: kib(size),
        anchor: `target ${kib(TARGET)}`,
        ratio: size / TARGET,
        note: `${kib(size - TARGET)} over the target`,
      }),
    );
  }
  return out;
}
