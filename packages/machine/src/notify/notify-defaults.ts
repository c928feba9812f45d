/**
 * The notices a programme sends when its config says nothing else: who is told at each moment,
 * and the words, in zh-CN and en. A city overrides any of them in `notifications.notices`.
 */
import type { NoticeRule, NoticeTrigger, NotificationsConfig } from './notify.types.js';

const rule = (to: NoticeRule['to'], zhSubject: string, enSubject: string, zh: string, en: string): NoticeRule => ({
  to,
  subject: { 'zh-CN': zhSubject, en: enSubject },
  text: { 'zh-CN': zh, en },
});

/** Each trigger's default rule. */
export const DEFAULT_NOTICES: Readonly<Record<NoticeTrigger, NoticeRule>> = {
  'topic.accepted': rule(
    ['resident'],
    '您的议题已受理：{title}',
    'Your topic was accepted: {title}',
    '您提出的议题“{title}”已通过审核，将进入协商。',
    'Your topic “{title}” passed screening and will be taken to consultation.',
  ),
  'topic.rejected': rule(
    ['resident'],
    '您的议题未被受理：{title}',
    'Your topic was not taken up: {title}',
    '您提出的议题“{title}”未被受理。原因：{reason}',
    'Your topic “{title}” was not taken up. Reason: {reason}',
  ),
  'meeting.scheduled': rule(
    ['resident', 'participants'],
    '协商会议已安排：{title}',
    'Consultation meeting scheduled: {title}',
    '议题“{title}”的协商会议定于 {start} 在 {place} 举行（{format}）。',
    'The consultation meeting on “{title}” will be held on {start} at {place} ({format}).',
  ),
  'meeting.moved': rule(
    ['resident', 'participants'],
    '协商会议时间变更：{title}',
    'Consultation meeting moved: {title}',
    '议题“{title}”的协商会议由 {previousStart} 改为 {start}，地点：{place}（{format}）。',
    'The consultation meeting on “{title}” moved from {previousStart} to {start}, at {place} ({format}).',
  ),
  'meeting.reminder': rule(
    ['participants'],
    '会议提醒：{title}',
    'Meeting reminder: {title}',
    '提醒：议题“{title}”的协商会议将于 {start} 在 {place} 举行。',
    'Reminder: the consultation meeting on “{title}” is on {start} at {place}.',
  ),
  'measure.assigned': rule(
    ['department'],
    '交办：{measure}',
    'Measure assigned: {measure}',
    '议题“{title}”的协商措施“{measure}”已交由 {party} 办理，办理时限：{due}。',
    'The measure “{measure}” agreed on “{title}” is assigned to {party}, due {due}.',
  ),
  'measure.dueSoon': rule(
    ['department'],
    '即将到期：{measure}',
    'Due soon: {measure}',
    '措施“{measure}”（议题“{title}”）将于 {due} 到期，还剩 {daysLeft}。',
    'The measure “{measure}” (topic “{title}”) is due on {due}, in {daysLeft}.',
  ),
  'measure.overdue': rule(
    ['department', 'convener', 'supervisor'],
    '已超期：{measure}',
    'Overdue: {measure}',
    '措施“{measure}”（议题“{title}”，责任单位 {party}）已超过办理时限 {due}，超期 {daysOverdue}。',
    'The measure “{measure}” (topic “{title}”, responsible: {party}) passed its due date {due}: overdue by {daysOverdue}.',
  ),
  'feedback.published': rule(
    ['resident'],
    '办理结果已反馈：{title}',
    'Feedback on your topic: {title}',
    '议题“{title}”的办理结果：{feedback}',
    'What was done about “{title}”: {feedback}',
  ),
  'rating.opened': rule(
    ['resident'],
    '请评价办理结果：{title}',
    'Please rate the outcome: {title}',
    '议题“{title}”已办结，请在 {closesAt} 前评价办理结果。',
    'The topic “{title}” has been dealt with; please rate the outcome before {closesAt}.',
  ),
  'rating.closing': rule(
    ['resident'],
    '评价即将截止：{title}',
    'Rating closes soon: {title}',
    '议题“{title}”的满意度评价将于 {closesAt} 截止。',
    'Rating the outcome of “{title}” closes on {closesAt}.',
  ),
};

/** The rule a programme uses for a trigger: the city's, else the default. */
export function noticeRule(config: { notifications: NotificationsConfig }, trigger: NoticeTrigger): NoticeRule {
  return config.notifications.notices[trigger] ?? DEFAULT_NOTICES[trigger];
}
