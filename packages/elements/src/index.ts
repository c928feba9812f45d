/**
 * @consult-kit/elements — the classes and helpers, without registering any tag.
 * Import `@consult-kit/elements/all.js` (or one `consult-*.js` file) to define the tags.
 */
export { ConsultElement, defineElement } from './base/consult-element.js';
export { ConsultFormElement } from './base/form-element.js';
export { programmeContext, storeContext } from './context/consultation-context.js';
export { ActorController } from './controllers/actor-controller.js';
export * from './events/consult-events.js';
export { normalizeLocale, type Locale } from './i18n/locale.js';
export { MESSAGES, type MessageKey } from './i18n/messages.js';
export { ConsultStarRating } from './star-rating/star-rating.component.js';
export { ConsultTopicForm, type TopicFormStore } from './topic-form/topic-form.component.js';
export { safeUrl } from './base/safe-url.js';
export { ConsultWorkflow, VIEWS_BY_ROLE, type WorkflowView, type UserRole } from './workflow/workflow.component.js';
export { ConsultSignInRequiredEvent, type ConsultSignInRequiredDetail } from './workflow/sign-in-required-event.js';
export { refusalWords, type RefusalLabels, type Words } from './workflow/refusal.js';
export { ConsultNavigateEvent, type ConsultNavigateDetail } from './events/navigate-event.js';
export { ConsultMeetingTimeline } from './meeting-timeline/meeting-timeline.component.js';
export { ConsultOutcomeTracker } from './outcome-tracker/outcome-tracker.component.js';
export { ConsultProgrammeFigures } from './programme-figures/programme-figures.component.js';
export { ConsultTopicSelectEvent, type ConsultTopicSelectDetail } from './events/topic-select-event.js';
export { StoreController, type FollowedStore } from './controllers/store-controller.js';
export { ConsultStaffActions } from './staff-actions/staff-actions.component.js';
export { ConsultActionEvent, type ConsultActionDetail } from './events/action-event.js';
export { ConsultMyTopics, type MyTopicsStore } from './my-topics/my-topics.component.js';
export { topicProgress, type TopicProgress, type ProgressStep, type ProgressStepKey } from './my-topics/progress.js';
export { ConsultOutcomesBoard } from './outcomes-board/outcomes-board.component.js';
export { ConsultSignIn, type IdentityOffer } from './sign-in/sign-in.component.js';
export {
  ConsultSignedInEvent,
  ConsultSignedOutEvent,
  type ConsultSignedInDetail,
  type ConsultSignedOutDetail,
  type SignedInPerson,
  type SignInSource,
  type TokenSource,
} from './sign-in/sign-in-events.js';
export { ConsultOverdueList, type OverdueListStore, type OverdueListToken } from './overdue-list/overdue-list.component.js';
export { dueState, dueWords, type DueState } from './base/due.js';
export { ConsultRoom } from './room/room.component.js';
export { ConsultRoomSelectEvent, type ConsultRoomSelectDetail } from './room/room-select-event.js';
export type { RoomData, RoomSummary, PerformanceData, ReadToken } from './room/room-client.js';
export { ConsultPerformanceFile, type PerformanceRoomName } from './performance-file/performance-file.component.js';
export { ConsultRoomPoster, type PosterRoom } from './room-poster/room-poster.component.js';
export { ConsultReportExports, type ExportKind, type ExportFormat, type ExportsToken } from './report-exports/report-exports.component.js';
export { ConsultMeetingRecord } from './records/meeting-record.component.js';
export { ConsultTopicDossier } from './records/topic-dossier.component.js';
export { ConsultRoomReport } from './records/room-report.component.js';
export { ConsultTrendChart } from './trend-chart/trend-chart.component.js';
