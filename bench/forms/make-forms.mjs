// Writes the same 20-field intake form for the three libraries: consult-kit.json (a workflow
// config our parser accepts), surveyjs.json and formio.json. Run it after changing FIELDS:
//   node bench/forms/make-forms.mjs
// Field 20 is a 1–5 rating: consult-kit's intake form has no rating type, so on our page it is a
// <consult-star-rating scale="5"> beside the form (a radio group, as our conventions say);
// SurveyJS has `rating`; Form.io's open-source build has no rating component, so it is a radio
// with the values 1–5 shown inline.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const t = (zh, en) => ({ 'zh-CN': zh, en });
const opts = (...pairs) => pairs.map(([value, zh, en]) => ({ value, label: t(zh, en) }));

/** The 19 intake fields, in our config's vocabulary. */
const FIELDS = [
  { name: 'title', type: 'text', role: 'title', required: true, maxLength: 40, label: t('议题名称', 'Topic') },
  { name: 'description', type: 'textarea', role: 'description', required: true, maxLength: 1000, label: t('具体情况', 'What is happening') },
  { name: 'category', type: 'select', required: true, label: t('议题类别', 'Category'),
    options: opts(['lift', '加装电梯', 'Installing a lift'], ['renovation', '老旧小区改造', 'Old-estate renovation'], ['waste', '垃圾分类', 'Refuse sorting'], ['eldercare', '养老服务', 'Elderly care'], ['parking', '停车', 'Parking'], ['other', '其他', 'Other']) },
  { name: 'estate', type: 'text', label: t('小区', 'Estate') },
  { name: 'building', type: 'text', label: t('楼栋', 'Block') },
  { name: 'households', type: 'number', min: 1, max: 20000, label: t('涉及户数', 'Households affected') },
  { name: 'since', type: 'date', label: t('问题出现日期', 'Since when') },
  { name: 'urgency', type: 'radio', required: true, label: t('紧急程度', 'How urgent'),
    options: opts(['low', '不急', 'Not urgent'], ['medium', '较急', 'Fairly urgent'], ['high', '很急', 'Very urgent']) },
  { name: 'affected', type: 'checkbox', label: t('受影响人群', 'Who is affected'),
    options: opts(['elderly', '老年人', 'Older people'], ['children', '儿童', 'Children'], ['disabled', '残障人士', 'Disabled people'], ['all', '全体居民', 'Everyone']) },
  { name: 'suggestion', type: 'textarea', maxLength: 1000, label: t('您的建议', 'Your suggestion') },
  { name: 'heardFrom', type: 'select', label: t('从哪里得知', 'How you heard of it'),
    options: opts(['board', '公告栏', 'Notice board'], ['wechat', '微信群', 'WeChat group'], ['grid', '网格员', 'Grid worker'], ['other', '其他', 'Other']) },
  { name: 'ageGroup', type: 'select', label: t('年龄段', 'Age group'),
    options: opts(['u30', '30 岁以下', 'Under 30'], ['30to59', '30–59 岁', '30–59'], ['60plus', '60 岁及以上', '60 or over']) },
  { name: 'name', type: 'text', personal: true, required: true, maxLength: 20, label: t('姓名', 'Name') },
  { name: 'phone', type: 'tel', pattern: '^1[3-9][0-9]{9}$', label: t('手机号码', 'Mobile number') },
  { name: 'email', type: 'email', label: t('电子邮箱', 'E-mail') },
  { name: 'contactWanted', type: 'radio', required: true, label: t('是否需要我们与您联系？', 'Would you like us to contact you?'),
    options: opts(['yes', '需要', 'Yes'], ['no', '不需要', 'No']) },
  { name: 'contactTime', type: 'select', label: t('方便联系的时间', 'Best time to call'),
    options: opts(['morning', '上午', 'Morning'], ['afternoon', '下午', 'Afternoon'], ['evening', '晚上', 'Evening']) },
  { name: 'publishOk', type: 'checkbox', label: t('同意公开议题（不含个人信息）', 'The topic may be published (without personal details)') },
  { name: 'consent', type: 'consent', required: true, label: t('我已阅读隐私说明并同意', 'I have read the privacy notice and agree') },
];
const RATING = { name: 'satisfaction', label: t('您对议题征集的满意度', 'How satisfied are you with the intake?') };

// ── consult-kit: the Wuxi example with the 19 fields on one page ────────────────────────────
const wuxi = JSON.parse(readFileSync(here('../../examples/configs/wuxi-community.json'), 'utf8'));
const ours = {
  ...wuxi,
  $schema: '../../packages/machine/src/config/workflow.schema.json',
  id: 'bench-intake-20',
  form: { pages: [{ id: 'intake', title: t('提出议题', 'Raise a topic'), fields: FIELDS }] },
};
writeFileSync(here('consult-kit.json'), `${JSON.stringify(ours, null, 2)}\n`);

// ── SurveyJS ────────────────────────────────────────────────────────────────────────────────
const sjChoices = (f) => f.options.map((o) => ({ value: o.value, text: o.label['zh-CN'] }));
const surveyElement = (f) => {
  const base = { name: f.name, title: f.label['zh-CN'], ...(f.required ? { isRequired: true } : {}) };
  switch (f.type) {
    case 'text': return { type: 'text', ...base, ...(f.maxLength ? { maxLength: f.maxLength } : {}) };
    case 'textarea': return { type: 'comment', ...base, ...(f.maxLength ? { maxLength: f.maxLength } : {}) };
    case 'number': return { type: 'text', inputType: 'number', min: f.min, max: f.max, ...base };
    case 'date': return { type: 'text', inputType: 'date', ...base };
    case 'tel': return { type: 'text', inputType: 'tel', ...base, validators: [{ type: 'regex', regex: f.pattern }] };
    case 'email': return { type: 'text', inputType: 'email', ...base, validators: [{ type: 'email' }] };
    case 'select': return { type: 'dropdown', ...base, choices: sjChoices(f) };
    case 'radio': return { type: 'radiogroup', ...base, choices: sjChoices(f) };
    case 'checkbox': return f.options ? { type: 'checkbox', ...base, choices: sjChoices(f) } : { type: 'boolean', renderAs: 'checkbox', ...base };
    case 'consent': return { type: 'boolean', renderAs: 'checkbox', ...base };
    default: throw new Error(f.type);
  }
};
const survey = {
  title: ours.title['zh-CN'],
  pages: [{ name: 'intake', title: '提出议题', elements: [...FIELDS.map(surveyElement), { type: 'rating', name: RATING.name, title: RATING.label['zh-CN'], rateMin: 1, rateMax: 5, rateType: 'stars' }] }],
};
writeFileSync(here('surveyjs.json'), `${JSON.stringify(survey, null, 2)}\n`);

// ── Form.io ─────────────────────────────────────────────────────────────────────────────────
const fioValues = (f) => f.options.map((o) => ({ value: o.value, label: o.label['zh-CN'] }));
const formioComponent = (f) => {
  const base = { key: f.name, label: f.label['zh-CN'], input: true, ...(f.required ? { validate: { required: true } } : {}) };
  switch (f.type) {
    case 'text': return { type: 'textfield', ...base };
    case 'textarea': return { type: 'textarea', ...base };
    case 'number': return { type: 'number', ...base };
    // `datetime` needs flatpickr's assets; `day` is three native inputs. A text field with type date:
    case 'date': return { type: 'textfield', inputType: 'date', ...base };
    case 'tel': return { type: 'phoneNumber', ...base };
    case 'email': return { type: 'email', ...base };
    // widget html5: a native <select> (the default Choices.js widget is a heavier custom control).
    case 'select': return { type: 'select', widget: 'html5', dataSrc: 'values', data: { values: fioValues(f) }, ...base };
    case 'radio': return { type: 'radio', values: fioValues(f), ...base };
    case 'checkbox': return f.options ? { type: 'selectboxes', values: fioValues(f), ...base } : { type: 'checkbox', ...base };
    case 'consent': return { type: 'checkbox', ...base };
    default: throw new Error(f.type);
  }
};
const formio = {
  display: 'form',
  components: [
    ...FIELDS.map(formioComponent),
    { type: 'radio', key: RATING.name, label: RATING.label['zh-CN'], input: true, inline: true, values: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n}★` })) },
    { type: 'button', key: 'submit', label: '提交', action: 'submit', input: true },
  ],
};
writeFileSync(here('formio.json'), `${JSON.stringify(formio, null, 2)}\n`);
console.log('wrote bench/forms/consult-kit.json, surveyjs.json, formio.json');
