/**
 * @consult-kit/server — the reference city backend: the REST contract of docs/api/openapi.yaml
 * on PGlite (a data folder) or PostgreSQL (`DATABASE_URL`), every event replayed through
 * `@consult-kit/machine`.
 */
export { buildApp, EXPOSED_HEADERS } from './app.js';
export type { RouteContext } from './http/context.js';
export { startServer, formatSeedReports, type RunningServer } from './server.js';
export { loadOptions, OptionsError, DEFAULTS, MIN_BODY_LIMIT, USAGE, type AppOptions, type ServerOptions } from './config.js';
export {
  authenticate,
  authenticateRequest,
  identityHook,
  parseTokens,
  tokenAuthenticator,
  type Authentication,
  type Authenticator,
  type Principal,
  type PrincipalSource,
  type Scopes,
  type TokenTable,
} from './authn.js';
export { createAuthenticator, type IdentityAuthenticator, type IdentitySettings } from './identity/authenticator.js';
export { DEFAULT_CLAIMS_MAPPING, parseClaimsMapping, principalFromClaims, type ClaimsMapping } from './identity/claims.js';
export { OIDC_DEFAULTS, type OidcSettings } from './identity/oidc.js';
export { PORTAL_DEFAULTS, PORTAL_ID_PREFIX, type PortalSettings } from './identity/portal.js';
export {
  authorizeAdmin,
  authorizeEvent,
  authorizePull,
  FOLLOW_CODE_EVENTS,
  PULL_ACCESS,
  READ_ROLES,
  RESIDENT_EVENTS,
  seesPersonalData,
  type PullAccess,
} from './auth.js';
export { deriveFollowCode, followCodeHash, followSubject, formatFollowCode, normaliseFollowCode, FOLLOW_ALPHABET, FOLLOW_CODE_LENGTH } from './follow-codes.js';
export { erasePersonal, exportPersonal, redactStoredLogs, type ErasureRecord, type PersonalExport, type PersonalQuery } from './personal.js';
export { catchUpIndex, rebuildIndex, queryIndex, summarizeTopic, type CatchUp, type IndexPage, type IndexQuery, type TopicSummary } from './topic-index.js';
export { tick, startClock, closeEntryId, overdueDays, DEFAULT_TICK_MS, JOB_LEASE_MS, JOB_RETRY_MS, type TickReport, type RunningClock, type ClockLog } from './notifications/clock.js';
export { syncTopicJobs, useClock, faultCode, NOTICE_MAX_AGE_MS, type ClockOptions } from './notifications/jobs.js';
export { canonicalJson, fingerprint } from './canonical-json.js';
export { checkSubmission, KEY_PATTERN, type EventSubmission, type RequestFault } from './contract.js';
export { Problem, PROBLEM_TYPES, type ProblemBody, type ProblemName } from './problems.js';
export { appendEvent, pullEntries, allEntries, findEntry, type AppendResult, type PullPage, type PullRequest } from './event-log.js';
export { claimKey, completeClaim, releaseClaim, type Claim } from './idempotency.js';
export {
  findProgramme,
  listProgrammes,
  seedProgrammes,
  upsertProgramme,
  publishConfig,
  listVersions,
  findVersion,
  etagOf,
  CONFIG_VERSION_HEADER,
  type Programme,
  type ProgrammeSummary,
  type SeedReport,
  type UpsertResult,
  type PublishResult,
  type PublishPrecondition,
  type VersionSummary,
} from './programmes.js';
export { loadTopicConfigs, replayVersioned, type TopicConfigs, type VersionedConfig } from './config-versions.js';
export { isUniqueViolation, isUnavailable, type Db, type Queryable, type Row } from './db/db.js';
export { openDb, type DbLocation } from './db/open.js';
export { openPglite, emptyPgliteDump, type PgliteOptions } from './db/pglite.js';
export { openPostgres, type PostgresOptions } from './db/postgres.js';
export { migrate, migrationFiles, MIGRATIONS_DIR } from './db/migrate.js';
