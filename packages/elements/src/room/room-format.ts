/**
 * Words and numbers of a room's grade: a period's name ("2026", "Q3 2026", "July 2026", a date
 * range), a figure's value as people read it (shares as percentages, satisfaction with one
 * decimal, counts as whole numbers), and the plain sentence behind each star ("3 sessions held;
 * 4 needed for 3 stars."). Pure functions of the catalogue lookup they are given.
 */
import type { CriterionGrade, GradeFigure, Period } from '@consult-kit/machine/core';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** Figures that are a share (0–1), shown as percentages. */
const SHARES = new Set<GradeFigure>(['solvedShare', 'onTimeShare', 'memberParticipation']);

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: Locale, kind: 'share' | 'decimal' | 'count'): Intl.NumberFormat {
  const key = `${locale}|${kind}`;
  let f = formats.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    const options: Intl.NumberFormatOptions =
      kind === 'share' ? { style: 'percent', maximumFractionDigits: 0 } : kind === 'decimal' ? { maximumFractionDigits: 1 } : { maximumFractionDigits: 0 };
    formats.set(key, (f = new Intl.NumberFormat(locale, options)));
  }
  return f;
}

/** A figure's value (or threshold) in the locale: 0.62 → "62%" for shares, 4.25 → "4.3", 7 → "7". */
export function figureValue(figure: GradeFigure, value: number, locale: Locale): string {
  if (SHARES.has(figure)) return numberFormat(locale, 'share').format(value);
  if (figure === 'averageSatisfaction') return numberFormat(locale, 'decimal').format(value);
  return numberFormat(locale, 'count').format(value);
}

/** A whole number in the locale. */
export function count(n: number, locale: Locale): string {
  return numberFormat(locale, 'count').format(n);
}

function dateOf(day: string, locale: Locale, options: Intl.DateTimeFormatOptions): string {
  const ms = Date.parse(`${day}T12:00:00Z`);
  if (!Number.isFinite(ms)) return day;
  const key = `${locale}|d|${JSON.stringify(options)}`;
  let f = formats.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })));
  return f.format(ms);
}

/** The day before a YYYY-MM-DD (a period's `to` is exclusive; people read the last day). */
function dayBefore(day: string): string {
  const ms = Date.parse(`${day}T12:00:00Z`);
  return Number.isFinite(ms) ? new Date(ms - 86_400_000).toISOString().slice(0, 10) : day;
}

/** A period's name: "2026" / "2026年", "Q3 2026" / "2026年第3季度", "July 2026" / "2026年7月", or its dates. */
export function periodName(period: Period, locale: Locale, t: Translate): string {
  const year = period.from.slice(0, 4);
  switch (period.kind) {
    case 'year':
      return t('room.period.year', { year });
    case 'quarter': {
      const quarter = /Q([1-4])$/.exec(period.key)?.[1] ?? String(Math.floor((Number(period.from.slice(5, 7)) - 1) / 3) + 1);
      return t('room.period.quarter', { year, quarter });
    }
    case 'month':
      return dateOf(period.from, locale, { year: 'numeric', month: 'long' });
    default:
      return t('room.period.range', { from: dateOf(period.from, locale, { dateStyle: 'medium' }), to: dateOf(dayBefore(period.to), locale, { dateStyle: 'medium' }) });
  }
}

const SAY_NONE: Partial<Record<GradeFigure, MessageKey>> = {
  solvedShare: 'room.sayNone.solvedShare',
  onTimeShare: 'room.sayNone.onTimeShare',
  averageSatisfaction: 'room.sayNone.averageSatisfaction',
  memberParticipation: 'room.sayNone.memberParticipation',
};

/** The criterion's name: the rubric's own label, else the figure's. */
export function criterionName(c: Pick<CriterionGrade, 'figure' | 'label'>, locale: Locale, t: Translate): string {
  return c.label?.[locale] || t(`room.figure.${c.figure}`);
}

/** The plain sentence behind a criterion's stars: "3 session(s) held; 4 needed for 3 star(s)." */
export function criterionSentence(c: CriterionGrade, locale: Locale, t: Translate): string {
  const say =
    c.value === null
      ? SAY_NONE[c.figure]
        ? t(SAY_NONE[c.figure]!)
        : t('room.sayNone.other', { label: criterionName(c, locale, t) })
      : t(`room.say.${c.figure}`, { value: figureValue(c.figure, c.value, locale) });
  const need = c.next === null ? t('room.needTop') : t(`room.need.${c.figure}`, { next: figureValue(c.figure, c.next, locale), stars: Math.min(5, c.stars + 1) });
  return t('room.sentence', { say, need });
}
