/**
 * The `notifications` part of a workflow config: checked (every fault by its JSON Pointer) and
 * normalized. Kept apart from the default texts (notify-defaults.ts), which only the server needs.
 */
import type { NotificationsConfig } from './notify.types.js';

/** The `notifications` of a config, its defaults applied (the city's rules as written). */
export function normalizeNotifications(raw: Partial<NotificationsConfig> | undefined): NotificationsConfig {
  return {
    enabled: raw?.enabled ?? true,
    dueSoonDays: raw?.dueSoonDays ?? 3,
    ratingClosingHours: raw?.ratingClosingHours ?? 48,
    meetingReminderHours: raw?.meetingReminderHours ?? 24,
    notices: { ...(raw?.notices ?? {}) },
  };
}
