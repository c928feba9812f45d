// A generated programme config with many form fields, for the studio's rows of `npm run bench`:
// the wuxi example with its first page kept (title, description, …) and extra pages of mixed
// field types (text, select with options, radio, number, date, checkbox), every fifth one shown
// only when an earlier select has a given value, until the form has `fields` fields.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../../examples/configs/wuxi-community.json', import.meta.url));
const TYPES = ['text', 'select', 'radio', 'number', 'date', 'checkbox', 'textarea'];

/** The wuxi config grown to `fields` form fields (checker-clean). */
export function generatedConfig(fields = 200) {
  const config = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const pages = config.form.pages;
  let count = pages.reduce((n, p) => n + p.fields.length, 0);
  let page;
  let lastSelect;
  for (let i = 0; count < fields; i++, count++) {
    if (i % 20 === 0) {
      page = { id: `extra-${i / 20 + 1}`, title: { 'zh-CN': `补充信息 ${i / 20 + 1}`, en: `More details ${i / 20 + 1}` }, fields: [] };
      pages.splice(pages.length - 1, 0, page);
    }
    const type = TYPES[i % TYPES.length];
    const field = {
      name: `q${i + 1}`,
      type,
      label: { 'zh-CN': `问题 ${i + 1}`, en: `Question ${i + 1}` },
      hint: { 'zh-CN': `第 ${i + 1} 题的说明`, en: `About question ${i + 1}` },
      required: i % 3 === 0,
    };
    if (type === 'select' || type === 'radio') {
      field.options = ['a', 'b', 'c'].map((v) => ({ value: v, label: { 'zh-CN': `选项${v.toUpperCase()}`, en: `Option ${v.toUpperCase()}` } }));
    }
    if (i % 5 === 4 && lastSelect) field.visibleWhen = { field: lastSelect, equals: 'b' };
    if (type === 'select') lastSelect = field.name;
    page.fields.push(field);
  }
  config.id = `generated-${fields}`;
  return config;
}
