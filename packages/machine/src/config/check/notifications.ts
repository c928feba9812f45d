/**
 * The notifications' rules (templates, their variables, audiences, limits): `checkNotifications`
 * in notify/notify-config.ts, a module of its own so that the server and tests can check a
 * `notifications` part alone.
 */
import { checkNotifications } from '../../notify/notify-config.js';
import { prop } from './json.js';
import type { RuleContext } from './rules.js';

/** Every rule of the notifications section. */
export function checkNotificationRules(rules: RuleContext): void {
  rules.add(checkNotifications(prop(rules.root, 'notifications')));
}
