/**
 * What every capability's plugin is registered with: the open database and the app's options.
 * Routes import this module, never `app.ts`, so the app depends on its capabilities and not back.
 */
import type { AppOptions } from '../config.js';
import type { Db } from '../db/db.js';

/** What every route gets. */
export interface RouteContext {
  db: Db;
  options: AppOptions;
}

