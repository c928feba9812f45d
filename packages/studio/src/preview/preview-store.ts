/**
 * The preview's store: what `<consult-topic-form>` needs of a store (`TopicFormStore`), in memory,
 * sending nothing. A submission is refused with "预览，未提交 / Preview: not sent", which the form
 * shows in its error summary; drafts live only as long as the preview.
 */
import type { TopicEvent, WorkflowConfig } from '@consult-kit/machine';
import type { TopicFormStore } from '@consult-kit/elements/dist/topic-form/topic-form.component.js';

// The store's types as the form takes them (the studio does not depend on @consult-kit/store).
type AppendResult = Awaited<ReturnType<TopicFormStore['append']>>;
type StoreStatus = TopicFormStore['status'];
type Draft = NonNullable<Awaited<ReturnType<TopicFormStore['loadDraft']>>>;
type DraftInput = Parameters<TopicFormStore['saveDraft']>[0];

export class PreviewStore implements TopicFormStore {
  /** The config being previewed (the form reads its own `config`; this follows it). */
  config: WorkflowConfig;
  readonly status: StoreStatus = {
    revision: 0,
    pending: 0,
    sending: false,
    online: true,
    conflicts: 0,
    storage: 'memory',
    reloadRequired: false,
  };
  readonly log: TopicFormStore['log'] = [];
  readonly conflicts: TopicFormStore['conflicts'] = [];
  /** Submissions refused so far (the preview shows its note after the first). */
  attempts = 0;
  readonly #drafts = new Map<string, Draft>();

  constructor(
    config: WorkflowConfig,
    /** The refusal's words, in the preview's language at the time of the submission. */
    private readonly notSent: () => string,
    private readonly onAttempt: () => void = () => {},
  ) {
    this.config = config;
  }

  subscribe(listener: (status: StoreStatus) => void): () => void {
    listener(this.status);
    return () => {};
  }

  append(topicId: string, event: TopicEvent): Promise<AppendResult> {
    this.attempts += 1;
    this.onAttempt();
    return Promise.resolve({
      ok: false,
      refusal: { code: 'preview-not-sent', message: this.notSent(), eventType: event.type, topicId, state: 'none', accepts: [] },
    });
  }

  saveDraft(draft: DraftInput): Promise<boolean> {
    this.#drafts.set(draft.key, { ...draft, programmeId: this.config.id, updatedAt: draft.updatedAt ?? new Date().toISOString() });
    return Promise.resolve(true);
  }

  /** Never restores a draft: each config change shows the form afresh, without a "draft restored" notice. */
  loadDraft(_key: string): Promise<Draft | undefined> {
    return Promise.resolve(undefined);
  }

  deleteDraft(key: string): Promise<void> {
    this.#drafts.delete(key);
    return Promise.resolve();
  }
}
