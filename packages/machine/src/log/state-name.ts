import type { TopicSnapshot } from '../topic.machine.js';

/** A snapshot's state as a dotted path: `screening`, `meeting.inSession.briefing`. */
export function stateName(snapshot: TopicSnapshot): string {
  const walk = (value: unknown): string =>
    typeof value === 'string'
      ? value
      : Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k}.${walk(v)}`)
          .join(',');
  return walk(snapshot.value);
}
