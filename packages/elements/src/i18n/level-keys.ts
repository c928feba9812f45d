/** The catalogue key of each level's name (the timeline, my topics). Keys only: no messages. */
import type { messages as timeline } from './en/timeline.js';

export const LEVEL_KEYS: Readonly<Record<string, keyof typeof timeline>> = {
  village: 'timeline.level.village',
  community: 'timeline.level.community',
  town: 'timeline.level.town',
  street: 'timeline.level.street',
  park: 'timeline.level.park',
  district: 'timeline.level.district',
  county: 'timeline.level.county',
  city: 'timeline.level.city',
  sector: 'timeline.level.sector',
};
