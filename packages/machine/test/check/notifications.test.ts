/** The notifications section (check/notifications.ts, notify/notify-config.ts), through `checkSection('notifications')`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection } from '../../src/config/parse-config.js';
import { at, broken, example, sectionErrors } from './helpers.js';

const guangshui = 'guangshui-frontline' as const;

describe("checkSection('notifications')", () => {
  it('finds nothing in the example that has notifications', () => {
    assert.deepEqual(sectionErrors('notifications', example(guangshui)), []);
  });

  it('reports a variable the trigger does not have, an unclosed brace, a misspelt trigger, a wrong audience', () => {
    const config = broken((c) => {
      const assigned = c.notifications.notices['measure.assigned'];
      assigned.text.en = 'Please reply by {deadline}.';
      assigned.text['zh-CN'] = '请于 {due 前回复。';
      c.notifications.notices['topic.acepted'] = { to: ['resident'] };
      c.notifications.notices['measure.overdue'].to = ['department', 'mayor'];
    }, guangshui);
    const errors = sectionErrors('notifications', config);
    assert.deepEqual(at(errors), [
      ['/notifications/notices/measure.assigned/text/zh-CN', 'unclosed-brace'],
      ['/notifications/notices/measure.assigned/text/en', 'unknown-variable'],
      ['/notifications/notices/measure.overdue/to/1', 'enum'],
      ['/notifications/notices/topic.acepted', 'unknown-property'],
    ]);
    assert.match(errors[1]!.message, /deadline/);
  });

  it('reports its limits, and nothing of the other sections', () => {
    const config = broken((c) => {
      c.notifications.dueSoonDays = 400;
      delete c.steps;
    }, guangshui);
    assert.deepEqual(at(checkSection('notifications', config)), [['/notifications/dueSoonDays', 'maximum']]);
  });
});
