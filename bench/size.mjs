// Size: each library's page script (the library + the same 20-field form, bundled and minified by
// esbuild) and the CSS its form needs, min+gzip (gzip -9 via node:zlib).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { atMost, kib, row } from './lib/table.mjs';
import { buildAll, LIBRARIES, versionOf } from './lib/build.mjs';

const SECTION = 'Size';
const require = createRequire(import.meta.url);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const sizeOf = (files) => files.reduce((sum, f) => sum + gz(readFileSync(f)), 0);

/** @returns {Promise<import('./lib/table.mjs').Row[]>} */
export async function run({ built } = {}) {
  built ??= await buildAll();
  const s = {};
  for (const lib of LIBRARIES) {
    const js = gz(readFileSync(built[lib.id].js));
    const css = sizeOf(built[lib.id].css);
    s[lib.id] = { js, css, total: js + css };
  }
  const embed = gz(readFileSync(require.resolve('@consult-kit/embed')));
  const cssNote = Object.fromEntries(LIBRARIES.map((l) => [l.id, l.cssNote]));
  const out = [];
  const versions = `survey-core + survey-js-ui ${versionOf('survey-core')}, @formio/js ${versionOf('@formio/js')}`;
  for (const [part, label] of [['js', 'JS (library + form), min+gzip'], ['css', 'CSS, min+gzip'], ['total', 'JS + CSS, min+gzip']]) {
    const ratio = s.surveyjs[part] && s.ours[part] ? s.ours[part] / s.surveyjs[part] : null;
    const judged = part === 'total' ? atMost(ratio, 1 / 8, '≤ 1/8') : { goal: '', met: null, miss: '' };
    const notes = [];
    if (judged.miss) notes.push(judged.miss);
    if (part === 'js') notes.push(`ours = the whole embed (every consult-* tag; packages/embed/dist/consult-kit.min.js alone is ${kib(embed)}) + the config; ${versions}`);
    if (part === 'css') notes.push(`ours: ${cssNote.ours}; SurveyJS: ${cssNote.surveyjs}`);
    out.push(
      row({
        section: SECTION,
        measure: `${label}, vs SurveyJS`,
        ours: kib(s.ours[part]),
        anchor: `SurveyJS ${kib(s.surveyjs[part])}`,
        ratio,
        goal: judged.goal,
        met: judged.met,
        note: notes.join('; '),
      }),
    );
  }
  out.push(
    row({
      section: SECTION,
      measure: 'JS + CSS, min+gzip, vs Form.io',
      ours: kib(s.ours.total),
      anchor: `Form.io ${kib(s.formio.total)}`,
      ratio: s.ours.total / s.formio.total,
      note: `Form.io JS ${kib(s.formio.js)} (esbuild bundle of @formio/js, Formio.createForm), CSS ${kib(s.formio.css)}: ${cssNote.formio}`,
    }),
  );
  return out;
}
