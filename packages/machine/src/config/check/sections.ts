/**
 * The config's sections: which top-level properties each covers, so that an editor can group the
 * checker's errors (`sectionOf(error.pointer)`) and check one section as a person types
 * (`checkSection`). Every property of the schema's root belongs to exactly one section; a property
 * the schema does not know, and the document itself (`""`), belong to `root`.
 */
import type { LocalizedText } from '../config.types.js';

export type SectionId = 'root' | 'form' | 'lifecycle' | 'permissions' | 'transport' | 'notifications' | 'rooms';

export interface ConfigSection {
  id: SectionId;
  /** The top-level pointers it covers: each error at or under one of them is this section's. */
  pointers: readonly string[];
  /** What an editor calls it. */
  label: LocalizedText;
}

export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  {
    id: 'root',
    pointers: ['/$schema', '/id', '/version', '/title', '/description', '/defaultLocale'],
    label: { 'zh-CN': '基本信息', en: 'Programme' },
  },
  { id: 'form', pointers: ['/form', '/privacy'], label: { 'zh-CN': '议题表单与隐私告知', en: 'Intake form and privacy notice' } },
  { id: 'lifecycle', pointers: ['/steps', '/level'], label: { 'zh-CN': '协商流程', en: 'Lifecycle' } },
  { id: 'permissions', pointers: ['/permissions', '/residentAccess', '/personalDataRoles'], label: { 'zh-CN': '权限', en: 'Permissions' } },
  { id: 'transport', pointers: ['/transport', '/offlineGraceHours'], label: { 'zh-CN': '传输与离线', en: 'Transport and offline' } },
  { id: 'notifications', pointers: ['/notifications'], label: { 'zh-CN': '通知', en: 'Notifications' } },
  { id: 'rooms', pointers: ['/rooms', '/grading', '/performance'], label: { 'zh-CN': '议事室与评定', en: 'Rooms and grading' } },
];

const BY_POINTER = new Map(CONFIG_SECTIONS.flatMap((s) => s.pointers.map((p) => [p, s.id] as const)));

/** The top-level property names a section covers (its pointers, decoded). */
export function sectionKeys(id: SectionId): string[] {
  const section = CONFIG_SECTIONS.find((s) => s.id === id);
  return (section?.pointers ?? []).map((p) => p.slice(1).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The section a JSON Pointer into a config belongs to (`root` for `""` and for unknown top-level properties). */
export function sectionOf(pointer: string): SectionId {
  const end = pointer.indexOf('/', 1);
  return BY_POINTER.get(end === -1 ? pointer : pointer.slice(0, end)) ?? 'root';
}
