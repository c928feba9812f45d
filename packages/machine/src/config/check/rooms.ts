/**
 * The rules of the rooms section (`/rooms`, `/grading`, `/performance`) the schema cannot express.
 */
import type { RuleContext } from './rules.js';

/** Every rule of the rooms section (see the module's description). */
export function checkRooms(_rules: RuleContext): void {}
