/**
 * "已计入 3 份评价：提出人 2、社区居民 1" / "3 ratings counted: 2 from the submitter, 1 from
 * community residents": how many ratings were counted and from whom, by kind of rater (the
 * machine's `RatingKind`), never by name. Shared by <consult-programme-figures> and
 * <consult-outcome-tracker>.
 */
import { RATING_KINDS, type RatingKind } from '@consult-kit/machine/core';
import type { MessageKey } from '../i18n/messages.js';

type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** The sentence for a tally, or an empty string when nothing was counted (or no tally is known). */
export function ratingKindsText(
  t: Translate,
  format: (n: number) => string,
  counted: number,
  byKind: Partial<Record<RatingKind, number>> | undefined,
): string {
  if (!byKind || !(counted > 0)) return '';
  const list = RATING_KINDS.filter((k) => (byKind[k] ?? 0) > 0)
    .map((k) => t(`ratings.kind.${k}` as MessageKey, { count: format(byKind[k]!) }))
    .join(t('ratings.kindSeparator'));
  if (list === '') return '';
  return counted === 1 ? t('ratings.countedOne', { list }) : t('ratings.counted', { count: format(counted), list });
}
