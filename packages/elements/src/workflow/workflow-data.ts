/**
 * What `<consult-workflow>` needs once its first view is on screen: the offline-first store
 * (IndexedDB, the outbox, sync) and the programme actor (XState). Loaded with `import()`, so a
 * resident's intake form shows and takes input before these arrive (the workflow starts loading
 * them right after that first render, and the form's submit waits for the store). With them, the
 * topic list (windowed: it has topics only once the store is open).
 */
export { currentStage, EVENT_LABELS, startProgramme, stateLabel, toEvent } from '@consult-kit/machine/core';
export { httpTransport, openStore, TOPIC_STATUSES } from '@consult-kit/store';
export { byNewest, topicList, topicListWindow } from './topic-list.js';
