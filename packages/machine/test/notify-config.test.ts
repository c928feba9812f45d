/**
 * The `notifications` part of a workflow config: every fault by its JSON Pointer and a stable
 * code (through parseWorkflowConfig, where the schema speaks first, and checkNotifications alone),
 * and the defaults a partial rule is completed from.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import type { ConfigError } from '../src/config/config.types.js';
import { checkNotifications } from '../src/notify/notify-config.js';
import { DEFAULT_NOTICES, noticeRule } from '../src/notify/notify-defaults.js';
import { NOTICE_TRIGGERS } from '../src/notify/notify.types.js';
import { templateVariables } from '../src/notify/template.js';
import { EXAMPLES_DIR } from './fixtures.js';
import { wuxi } from './notify-helpers.js';

const raw = () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'wuxi-community.json'), 'utf8')) as Record<string, unknown>;

/** The errors of the Wuxi example with this `notifications` part. */
function errors(notifications: unknown): ConfigError[] {
  const result = parseWorkflowConfig({ ...raw(), notifications });
  assert.equal(result.ok, false, 'the config is refused');
  return result.ok ? [] : result.errors;
}

const at = (list: ConfigError[]) => list.map((e) => [e.pointer, e.code]);

describe('notifications: faults by pointer', () => {
  it('an unknown trigger, with the likely one named', () => {
    const [e] = errors({ notices: { 'topic.acepted': { to: [] } } });
    assert.deepEqual([e!.pointer, e!.code], ['/notifications/notices/topic.acepted', 'unknown-property']);
    assert.match(e!.hint ?? '', /topic\.accepted/);
    assert.deepEqual(at(checkNotifications({ notices: { 'topic.acepted': {} } })), [['/notifications/notices/topic.acepted', 'unknown-trigger']]);
  });

  it('an unknown audience and a repeated one', () => {
    assert.deepEqual(at(errors({ notices: { 'topic.accepted': { to: ['resident', 'residents'] } } })), [['/notifications/notices/topic.accepted/to/1', 'enum']]);
    assert.deepEqual(at(errors({ notices: { 'measure.overdue': { to: ['department', 'department'] } } })), [['/notifications/notices/measure.overdue/to', 'uniqueItems']]);
    assert.deepEqual(at(checkNotifications({ notices: { 'topic.accepted': { to: ['residents'] }, 'measure.overdue': { to: ['supervisor', 'supervisor'] } } })), [
      ['/notifications/notices/topic.accepted/to/0', 'unknown-audience'],
      ['/notifications/notices/measure.overdue/to', 'duplicate-audience'],
    ]);
  });

  it('a text without one of its languages', () => {
    assert.deepEqual(at(errors({ notices: { 'feedback.published': { text: { 'zh-CN': '办理结果：{feedback}' } } } })), [['/notifications/notices/feedback.published/text/en', 'required']]);
    assert.deepEqual(at(checkNotifications({ notices: { 'feedback.published': { subject: { en: 'Feedback' } } } })), [['/notifications/notices/feedback.published/subject/zh-CN', 'missing-language']]);
  });

  it('an unknown variable: pointed at the text, the variable named, the allowed ones listed', () => {
    const [e, ...rest] = errors({
      notices: { 'topic.rejected': { text: { 'zh-CN': '您的议题“{title}”未被受理：{reson}', en: 'Not taken up: {reason}' } } },
    });
    assert.deepEqual(rest, []);
    assert.deepEqual([e!.pointer, e!.code], ['/notifications/notices/topic.rejected/text/zh-CN', 'unknown-variable']);
    assert.match(e!.message, /\{reson\}/);
    assert.match(e!.message, /allowed: \{title\}, \{topicId\}, \{programme\}, \{reason\}/);
    // A variable of another trigger is unknown here too.
    assert.deepEqual(at(errors({ notices: { 'topic.accepted': { subject: { 'zh-CN': '{title}', en: 'Due {due}' } } } })), [['/notifications/notices/topic.accepted/subject/en', 'unknown-variable']]);
  });

  it('an unclosed brace; {{ is a literal brace and no fault', () => {
    assert.deepEqual(at(errors({ notices: { 'rating.closing': { subject: { 'zh-CN': '评价将于 {closesAt 截止', en: 'Closes {closesAt}' } } } })), [['/notifications/notices/rating.closing/subject/zh-CN', 'unclosed-brace']]);
    const ok = parseWorkflowConfig({ ...raw(), notifications: { notices: { 'rating.closing': { subject: { 'zh-CN': '{{重要}} {title}', en: '{{important} {title}' } } } } });
    assert.equal(ok.ok, true);
    assert.deepEqual(templateVariables('{{a}} {title} {{'), ['title']);
  });

  it('numbers out of range and wrong types, and every fault at once', () => {
    assert.deepEqual(at(errors({ enabled: 'yes', dueSoonDays: 61, ratingClosingHours: -1, meetingReminderHours: 1.5, extra: 1 })), [
      ['/notifications/enabled', 'type'],
      ['/notifications/dueSoonDays', 'maximum'],
      ['/notifications/ratingClosingHours', 'minimum'],
      ['/notifications/meetingReminderHours', 'type'],
      ['/notifications/extra', 'unknown-property'],
    ]);
    assert.deepEqual(at(checkNotifications({ dueSoonDays: 61, meetingReminderHours: 1.5 })), [
      ['/notifications/dueSoonDays', 'range'],
      ['/notifications/meetingReminderHours', 'type'],
    ]);
    assert.deepEqual(checkNotifications(undefined), []);
    assert.deepEqual(at(checkNotifications([])), [['/notifications', 'type']]);
  });
});

describe('notifications: defaults', () => {
  it('a config without the part sends every notice with the default rules', () => {
    const config = wuxi();
    assert.deepEqual(config.notifications, { enabled: true, dueSoonDays: 3, ratingClosingHours: 48, meetingReminderHours: 24, notices: {} });
    for (const trigger of NOTICE_TRIGGERS) assert.deepEqual(noticeRule(config, trigger), DEFAULT_NOTICES[trigger]);
  });

  it('a partial rule is completed from the default', () => {
    const config = wuxi({ notices: { 'measure.overdue': { to: ['supervisor'] }, 'topic.accepted': { text: { 'zh-CN': '已受理：{title}', en: 'Accepted: {title}' } } } });
    assert.deepEqual(config.notifications.notices['measure.overdue'], { ...DEFAULT_NOTICES['measure.overdue'], to: ['supervisor'] });
    assert.deepEqual(config.notifications.notices['topic.accepted'], {
      to: ['resident'],
      subject: DEFAULT_NOTICES['topic.accepted'].subject,
      text: { 'zh-CN': '已受理：{title}', en: 'Accepted: {title}' },
    });
    assert.equal(config.notifications.notices['topic.rejected'], undefined, 'a trigger left out keeps the default through noticeRule');
  });

  it('every default text uses only its trigger’s variables, in both languages', () => {
    for (const trigger of NOTICE_TRIGGERS) {
      assert.deepEqual(checkNotifications({ notices: { [trigger]: DEFAULT_NOTICES[trigger] } }), [], trigger);
    }
  });
});
