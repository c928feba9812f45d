/**
 * Every user-facing text of a config (each `LocalizedText`: an object of `zh-CN` / `en` strings),
 * found by walking the JSON, with a readable place for each ("表单 › 第1页 › 字段「议题名称」 › 标签").
 */
import type { StudioLocale } from '../i18n.js';
import { toPointer, type Json, type JsonObject } from '../pointer.js';
import { SOURCE_NAMES, STEP_NAMES } from '../lifecycle/step-defaults.js';

/**
 * The keys whose value the schema types as a `LocalizedText` (`$ref: #/$defs/localizedText`);
 * a test compares this list with workflow.schema.json. `starLabels` is an array of them. A room's
 * `name`, `place` and `raise` are texts; a field's `name` is a plain string, so it never matches.
 */
export const LOCALIZED_KEYS: ReadonlySet<string> = new Set(['title', 'description', 'label', 'hint', 'subject', 'text', 'controller', 'purpose', 'retention', 'name', 'place', 'raise']);
export const LOCALIZED_ARRAYS: ReadonlySet<string> = new Set(['starLabels']);

/** One text in both languages. */
export interface TextRow {
  /** Pointer of the `LocalizedText` node. */
  pointer: string;
  zh: string;
  en: string;
  missingZh: boolean;
  missingEn: boolean;
  /** The path's segments, for the readable place. */
  segments: string[];
}

const LANG_KEYS = new Set(['zh-CN', 'en']);

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether a node is a `LocalizedText` (or one in the making: `{}` where the schema wants one). */
function isLocalized(node: Json, key: string | undefined, parentKey: string | undefined): node is JsonObject {
  if (!isObject(node)) return false;
  const keys = Object.keys(node);
  const atTextPlace = (key !== undefined && LOCALIZED_KEYS.has(key)) || (parentKey !== undefined && LOCALIZED_ARRAYS.has(parentKey));
  if (keys.length === 0) return atTextPlace;
  if (!keys.every((k) => LANG_KEYS.has(k))) return false;
  // Outside a text's place (a condition's value …), only strings count.
  return atTextPlace || keys.every((k) => typeof node[k] === 'string');
}

const blank = (value: Json | undefined) => typeof value !== 'string' || value.trim() === '';

/** Every `LocalizedText` of a config, in document order. */
export function collectTexts(root: Json): TextRow[] {
  const rows: TextRow[] = [];
  const walk = (node: Json, segments: string[], parentKey: string | undefined) => {
    const key = segments[segments.length - 1];
    if (isLocalized(node, key, parentKey)) {
      rows.push({
        pointer: toPointer(segments),
        zh: typeof node['zh-CN'] === 'string' ? node['zh-CN'] : '',
        en: typeof node.en === 'string' ? node.en : '',
        missingZh: blank(node['zh-CN']),
        missingEn: blank(node.en),
        segments,
      });
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...segments, String(i)], key));
    else if (isObject(node)) for (const [k, v] of Object.entries(node)) if (k !== '$schema') walk(v, [...segments, k], key);
  };
  walk(root, [], undefined);
  return rows;
}

type Words = Record<StudioLocale, string>;

const KEY_NAMES: Record<string, Words> = {
  form: { 'zh-CN': '表单', en: 'Form' },
  privacy: { 'zh-CN': '隐私说明', en: 'Privacy notice' },
  notifications: { 'zh-CN': '通知', en: 'Notifications' },
  label: { 'zh-CN': '标签', en: 'label' },
  title: { 'zh-CN': '标题', en: 'title' },
  description: { 'zh-CN': '说明', en: 'description' },
  hint: { 'zh-CN': '提示', en: 'hint' },
  subject: { 'zh-CN': '主题', en: 'subject' },
  text: { 'zh-CN': '正文', en: 'text' },
  controller: { 'zh-CN': '收集者', en: 'controller' },
  purpose: { 'zh-CN': '用途', en: 'purpose' },
  retention: { 'zh-CN': '保存期限', en: 'retention' },
  escalation: { 'zh-CN': '提级', en: 'Escalation' },
  name: { 'zh-CN': '名称', en: 'name' },
  place: { 'zh-CN': '地点', en: 'place' },
  raise: { 'zh-CN': '可议事项', en: 'what to raise' },
};

const ITEM_NAMES: Record<string, Words> = {
  channels: { 'zh-CN': '转办渠道', en: 'Channel' },
  formats: { 'zh-CN': '协商形式', en: 'Format' },
  agenda: { 'zh-CN': '议程环节', en: 'Agenda stage' },
  parties: { 'zh-CN': '责任方', en: 'Party' },
  fields: { 'zh-CN': '字段', en: 'Field' },
  options: { 'zh-CN': '选项', en: 'Option' },
  sources: { 'zh-CN': '来源', en: 'Source' },
  list: { 'zh-CN': '议事室', en: 'Room' },
  conveners: { 'zh-CN': '召集人', en: 'Convener' },
  members: { 'zh-CN': '成员', en: 'Member' },
};

function quote(locale: StudioLocale, name: string): string {
  return locale === 'zh-CN' ? `「${name}」` : ` "${name}"`;
}

/** The name of a list item in a language: its label, else its id, name or value. */
function itemName(item: Json | undefined, locale: StudioLocale): string | undefined {
  if (!isObject(item)) return undefined;
  for (const key of ['label', 'name']) {
    const text = isObject(item[key]) ? (item[key] as JsonObject)[locale] : undefined;
    if (typeof text === 'string' && text.trim()) return text;
  }
  for (const key of ['id', 'name', 'value']) if (typeof item[key] === 'string' && item[key]) return item[key] as string;
  return undefined;
}

/** The readable place of a text: "表单 › 第1页 › 字段「议题名称」 › 标签" / "Form › Page 1 › Field "Topic" › label". */
export function readablePlace(root: Json, segments: readonly string[], locale: StudioLocale): string {
  const parts: string[] = [];
  let node: Json | undefined = root;
  let parentKey: string | undefined;
  segments.forEach((segment, depth) => {
    const next: Json | undefined = Array.isArray(node) ? node[Number(segment)] : isObject(node) ? node[segment] : undefined;
    if (Array.isArray(node)) {
      const n = Number(segment) + 1;
      if (parentKey === 'steps') {
        const type = isObject(next) ? next.type : undefined;
        parts.push(typeof type === 'string' && type in STEP_NAMES ? STEP_NAMES[type as keyof typeof STEP_NAMES][locale] : locale === 'zh-CN' ? `第 ${n} 步` : `Step ${n}`);
      } else if (parentKey === 'pages') parts.push(locale === 'zh-CN' ? `第${n}页` : `Page ${n}`);
      else if (parentKey === 'starLabels') parts.push(locale === 'zh-CN' ? `${n} 星` : `Star ${n}`);
      else if (parentKey === 'sources' && isObject(next) && typeof next.id === 'string' && next.id in SOURCE_NAMES) {
        parts.push(`${ITEM_NAMES.sources![locale]}${quote(locale, SOURCE_NAMES[next.id as keyof typeof SOURCE_NAMES][locale])}`);
      } else if (parentKey && ITEM_NAMES[parentKey]) parts.push(`${ITEM_NAMES[parentKey]![locale]}${quote(locale, itemName(next, locale) ?? String(n))}`);
      else parts.push(String(n));
    } else if (depth === 0 && (segment === 'title' || segment === 'description')) {
      parts.push(segment === 'title' ? (locale === 'zh-CN' ? '项目名称' : 'Programme title') : locale === 'zh-CN' ? '项目简介' : 'Programme description');
    } else if (segment === 'starLabels') {
      parts.push(locale === 'zh-CN' ? '星级说明' : 'Star labels');
    } else if (parentKey === 'notices') {
      parts.push(quote(locale, segment).trim());
    } else if (!['steps', 'pages', 'fields', 'options', 'channels', 'formats', 'agenda', 'parties', 'sources', 'notices', 'rooms', 'list', 'conveners', 'members'].includes(segment)) {
      parts.push(KEY_NAMES[segment]?.[locale] ?? segment);
    }
    parentKey = segment;
    node = next;
  });
  return parts.join(' › ');
}
