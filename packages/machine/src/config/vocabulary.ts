/**
 * The config's words every other part names, as types: languages, levels, roles and topic
 * sources. In their own module so the section types (rooms, notifications) can import them
 * without importing config.types.ts, which imports those sections back. The lists of values
 * (`LOCALES`, `LEVEL_RANK`, `ROLES`, `SOURCE_IDS`) stay in config.types.ts.
 */

export type Locale = 'zh-CN' | 'en';

/** A text in both interface languages. */
export type LocalizedText = Record<Locale, string>;

export type Level =
  | 'village'
  | 'community'
  | 'town'
  | 'street'
  | 'park'
  | 'district'
  | 'county'
  | 'city'
  | 'sector';

export type Role =
  | 'resident'
  | 'representative'
  | 'member'
  | 'convener'
  | 'department'
  | 'stakeholder'
  | 'expert'
  | 'notable'
  | 'grid'
  | 'government'
  | 'admin';

export type SourceId = 'resident' | 'member' | 'government' | 'grid' | 'open311';
