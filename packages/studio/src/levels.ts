/**
 * The names of the levels (村, 社区 … / Village, Community …) in the studio's two languages: the
 * lifecycle and programme panes' pickers and the start screen's list read them from here, so the
 * start screen does not carry the lifecycle pane's whole catalogue.
 */
import { defineMessages, translate, type StudioLocale } from './i18n.js';

export const levelMessages = defineMessages({
  'zh-CN': {
  'level.village': '村',
  'level.community': '社区',
  'level.town': '镇',
  'level.street': '街道',
  'level.park': '园区',
  'level.district': '区',
  'level.county': '县',
  'level.city': '市',
  'level.sector': '界别',
  },
  en: {
  'level.village': 'Village',
  'level.community': 'Community',
  'level.town': 'Town',
  'level.street': 'Street',
  'level.park': 'Industrial park',
  'level.district': 'District',
  'level.county': 'County',
  'level.city': 'City',
  'level.sector': 'Sector group',
  },
});

type LevelKey = keyof (typeof levelMessages)['en'];

/** A level's name in `locale`, or the id itself for a level this version does not know. */
export function levelName(level: string, locale: StudioLocale): string {
  const key = `level.${level}` as LevelKey;
  return key in levelMessages.en ? translate(levelMessages, locale, key) : level;
}
