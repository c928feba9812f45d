/**
 * A notice in words: the config's (or the default) texts with the variables put in, times in the
 * reader's language and the programme's time zone, labels for formats and parties.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noticesForTimer, renderNotice, topicTimers } from '../src/notify/notices.js';
import type { NoticeIntent } from '../src/notify/notify.types.js';
import type { TopicEventBody } from '../src/consultation.types.js';
import { DEPT, Log, wuxi } from './notify-helpers.js';

const intent = (trigger: NoticeIntent['trigger'], vars: Record<string, string>): NoticeIntent => ({
  key: `e1:${trigger}`,
  trigger,
  topicId: 't1',
  to: ['resident'],
  vars: { title: '3号楼加装电梯', topicId: 't1', ...vars },
  at: '2026-03-01T00:00:00.000Z',
});

describe('renderNotice', () => {
  it('a meeting notice in zh-CN and en, at Shanghai time by default, the format by its label', () => {
    const config = wuxi();
    const scheduled = intent('meeting.scheduled', { start: '2026-03-10T11:00:00.000Z', place: '幸福里社区议事室', format: 'room' });
    const zh = renderNotice(config, scheduled, 'zh-CN');
    assert.equal(zh.subject, '协商会议已安排：3号楼加装电梯');
    assert.match(zh.text, /^议题“3号楼加装电梯”的协商会议定于 2026年3月10日 19:00 在 幸福里社区议事室 举行（议事室协商）。$/);
    const en = renderNotice(config, scheduled, 'en');
    assert.equal(en.subject, 'Consultation meeting scheduled: 3号楼加装电梯');
    assert.match(en.text, /on March 10, 2026 at 7:00\sPM at 幸福里社区议事室 \(Consultation room session\)\.$/);
    assert.match(renderNotice(config, scheduled, 'en', { timeZone: 'UTC' }).text, /March 10, 2026 at 11:00\sAM/);
  });

  it('a measure: the party by its label, a due day as that day, whole days', () => {
    const config = wuxi();
    const overdue = intent('measure.overdue', { measure: '申请加装电梯补贴', party: 'street-office', due: '2026-04-01', daysOverdue: '5' });
    assert.equal(
      renderNotice(config, overdue, 'zh-CN').text,
      '措施“申请加装电梯补贴”（议题“3号楼加装电梯”，责任单位 街道办事处）已超过办理时限 2026年4月1日，超期 5 天。',
    );
    assert.equal(
      renderNotice(config, overdue, 'en', { timeZone: 'America/Los_Angeles' }).text,
      'The measure “申请加装电梯补贴” (topic “3号楼加装电梯”, responsible: Street office) passed its due date April 1, 2026: overdue by 5 days.',
    );
    const other = intent('measure.assigned', { measure: '错时共享停车位', party: '幸福里业主委员会', due: '2026-09-30' });
    assert.match(renderNotice(config, other, 'en').text, /assigned to 幸福里业主委员会, due September 30, 2026\.$/);
  });

  it('the city’s own words, with {programme} and a literal {{', () => {
    const config = wuxi({
      notices: { 'topic.accepted': { subject: { 'zh-CN': '{{{programme}} 已受理', en: '{{{programme}} accepted' }, text: { 'zh-CN': '“{title}”已受理。', en: '“{title}” was accepted ({topicId}).' } } },
    });
    const accepted = intent('topic.accepted', {});
    assert.equal(renderNotice(config, accepted, 'zh-CN').subject, '{有事好商量·社区协商议事室} 已受理');
    assert.equal(renderNotice(config, accepted, 'en').subject, "{Let's Talk It Over: Community Consultation Room} accepted");
    assert.equal(renderNotice(config, accepted, 'en').text, '“3号楼加装电梯” was accepted (t1).');
  });

  it('a fired timer from a real log, rendered: due soon counts the days left', () => {
    const config = wuxi();
    const log = new Log(config).submit('2026-03-01T01:00:00.000Z');
    log.send('2026-03-01T02:00:00.000Z', { type: 'screening.accept' });
    log.send('2026-03-01T03:00:00.000Z', { type: 'research.complete', findings: '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用。' });
    log.schedule('2026-03-01T04:00:00.000Z', '2026-03-01T05:00:00.000Z');
    log.hold('2026-03-01T05:00:00.000Z', {
      type: 'meeting.record',
      time: '2026-03-01T05:00:00.000Z',
      place: '幸福里社区议事室',
      topic: '加装电梯',
      effect: '达成共识',
      consensus: 'full',
      measures: [{ id: 'm1', text: '申请加装电梯补贴', party: 'street-office', due: '2026-04-01T02:00:00.000Z' }],
    } as TopicEventBody);
    log.send('2026-03-02T01:00:00.000Z', { type: 'measure.adopt', measureId: 'm1' }, DEPT);
    const dueSoon = topicTimers(log.snapshot).find((t) => t.kind === 'measure.dueSoon')!;
    const [notice] = noticesForTimer(log.snapshot, dueSoon);
    assert.equal(renderNotice(config, notice!, 'zh-CN').text, '措施“申请加装电梯补贴”（议题“3号楼加装电梯”）将于 2026年4月1日 10:00 到期，还剩 3 天。');
    assert.equal(renderNotice(config, notice!, 'en').subject, 'Due soon: 申请加装电梯补贴');
  });
});
