// The one table `npm run bench` prints. Every section (size, dom, growth in bench/*.mjs; outbox
// and ingest in bench/server.mjs) returns rows of this shape, and run.mjs renders them together.
//
// A Row:
//   {
//     section: string,        'Size', 'Form in DOM', 'Growth', 'Outbox', 'Server ingest'
//     measure: string,        what the row measures, e.g. 'JS, min+gzip'
//     ours: string,           our figure, formatted with its unit ('118.2 KiB', '41 ms')
//     anchor: string,         what we compare with, formatted ('SurveyJS 402.1 KiB', 'at 100: 12 ms'), or ''
//     ratio: number | null,   ours ÷ anchor, or the growth ratio (large ÷ small); null when none
//     goal: string,           e.g. '≤ 1/8', '≤ 3×', '≥ 1,000 events/s', or '' when there is no goal
//     met: boolean | null,    whether the goal is met; null when there is no goal (or no figure)
//     note: string,           caveats, and by how much a goal is missed
//   }

/** @typedef {{ section: string, measure: string, ours: string, anchor: string, ratio: number | null, goal: string, met: boolean | null, note: string }} Row */

/**
 * A row, filling the fields left out.
 * @param {Partial<Row> & { section: string, measure: string }} fields
 * @returns {Row}
 */
export function row(fields) {
  return { ours: '', anchor: '', ratio: null, goal: '', met: null, note: '', ...fields };
}

/**
 * Rows that say a section could not be measured, instead of crashing the run.
 * @param {string} section
 * @param {string[]} measures
 * @param {string} why
 * @returns {Row[]}
 */
export function failedRows(section, measures, why) {
  return measures.map((measure) => row({ section, measure, ours: 'n/a', note: `not measured: ${why}` }));
}

/** The median of numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A percentile (nearest rank, p in 0..100) of numbers; NaN for none. */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** 123456 → '120.6 KiB'. */
export function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Milliseconds with a sensible precision: '0.42 ms', '12.3 ms', '412 ms'. */
export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${Math.round(value)} ms`;
}

/** 1234567 → '1,234,567'. */
export function int(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** A ratio as the table prints it: '0.31', '1/8.2' is not used; '2.47×' for growth. */
export function formatRatio(ratio) {
  if (ratio === null || !Number.isFinite(ratio)) return '–';
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  if (ratio >= 0.1) return `${ratio.toFixed(2)}×`;
  return `${ratio.toFixed(3)}×`;
}

/**
 * Judges `ratio` against an upper bound and says by how much a miss misses:
 * atMost(0.31, 1/8, '≤ 1/8') → { goal: '≤ 1/8', met: false, miss: '2.5× over the goal of ≤ 1/8' }.
 */
export function atMost(ratio, bound, goal) {
  if (ratio === null || !Number.isFinite(ratio)) return { goal, met: null, miss: '' };
  const met = ratio <= bound;
  return { goal, met, miss: met ? '' : `${(ratio / bound).toFixed(1)}× over the goal of ${goal}` };
}

/** Judges a figure against a lower bound: atLeast(800, 1000, '≥ 1,000 events/s'). */
export function atLeast(value, bound, goal) {
  if (value === null || !Number.isFinite(value)) return { goal, met: null, miss: '' };
  const met = value >= bound;
  return { goal, met, miss: met ? '' : `${(bound / value).toFixed(1)}× short of the goal of ${goal}` };
}

const escapeCell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The markdown table of all rows.
 * @param {Row[]} rows
 */
export function renderTable(rows) {
  const head = '| section | measure | ours | anchor | ratio | goal | met | note |\n| --- | --- | ---: | ---: | ---: | --- | :---: | --- |';
  const lines = rows.map((r) => {
    const met = r.met === null ? '–' : r.met ? 'yes' : '**no**';
    return `| ${[r.section, r.measure, r.ours, r.anchor, formatRatio(r.ratio), r.goal || '–', met, r.note].map(escapeCell).join(' | ')} |`;
  });
  return `${head}\n${lines.join('\n')}`;
}
