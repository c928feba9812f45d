/**
 * @consult-kit/store — offline-first storage for consult-kit: the event log in IndexedDB, the
 * outbox and its sender, pull from the city's server, drafts, and a status the UI can show.
 */
export * from './store.types.js';
export { ConsultStore, openStore, backoffDelay, keepOwnValues, SNAPSHOT_EVERY } from './store.js';
export { FOLLOW_CODE_ALPHABET, FOLLOW_CODE_LENGTH, formatFollowCode, normalizeFollowCode } from './follow-code.js';
export { httpTransport, localTransport, retryAfterMs, type HttpTransportOptions } from './transports.js';
export { DB_VERSION, UPGRADES, openDatabase, IdbRepo, MemoryRepo, type ConsultDB, type Repo } from './database.js';
export { createAutosave, type Autosave } from './autosave.js';
export { newId } from './ids.js';
export * from './topic-index.js';
export { whoAmI, type Identity, type WhoAmIOptions, type WhoAmIResult } from './identity.js';
export {
  noticesClient,
  type NoticeChannel,
  type NoticeFailure,
  type NoticeOptIn,
  type NoticeResult,
  type NoticeSubscription,
  type NoticesClient,
  type NoticesClientOptions,
  type OverdueItem,
  type OverduePage,
  type OverdueQuery,
} from './notices.js';
