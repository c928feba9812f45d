/**
 * The request body of `POST …/events`, checked against the contract's `EventSubmission`
 * (`contract/event-submission.schema.json`, a copy of docs/api/openapi.yaml that a test keeps in
 * sync). The shape only: the rules (non-blank texts, the five haves…) are the machine's.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { EventActor, TopicEventBody } from '@consult-kit/machine';
import contractSchema from './contract/event-submission.schema.json' with { type: 'json' };

/** One event for the programme's log, as the client logged it (a `LogEntry` without `seq`). */
export interface EventSubmission {
  id: string;
  topicId: string;
  event: TopicEventBody;
  by: EventActor;
  at: string;
}

/** One fault in a request, located by a JSON Pointer into the body. */
export interface RequestFault {
  pointer: string;
  message: string;
}

/** `Idempotency-Key` / entry id: 1–128 characters of `A–Z a–z 0–9 . _ : -`. */
export const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const defs = contractSchema.$defs as unknown as Record<string, Obj>;
const mapping = (defs.TopicEventBody!.discriminator as { mapping: Record<string, string> }).mapping;

const validator = (ref: string, replace: Record<string, Obj> = {}): Validator =>
  new Validator({ ...contractSchema, $defs: { ...defs, ...replace }, $ref: ref } as unknown as Schema, '2020-12', false);

/** The whole body, exactly as the contract says. */
const full = validator('#/$defs/EventSubmission');
/** The envelope, with `event` reduced to a known `type` (for focused messages). */
const envelope = validator('#/$defs/EventSubmission', {
  TopicEventBody: { type: 'object', required: ['type'], properties: { type: { enum: Object.keys(mapping) } } },
});
/** Each event type's payload. */
const payloads = new Map(Object.entries(mapping).map(([type, ref]) => [type, validator(ref)]));

/** Keywords that only say "something below failed". */
const WRAPPERS = new Set(['$ref', 'allOf', 'anyOf', 'oneOf', 'properties', 'items', 'additionalProperties', 'discriminator', 'if', 'then', 'else']);

function decodePointer(location: string): string {
  const pointer = location.replace(/^#/, '');
  try {
    return decodeURIComponent(pointer);
  } catch {
    return pointer;
  }
}

/** Readable faults from the validator's output, each at the node it concerns. */
function faultsOf(errors: OutputUnit[], prefix: string, what: string): RequestFault[] {
  const faults: RequestFault[] = [];
  for (const e of errors) {
    const pointer = prefix + decodePointer(e.instanceLocation);
    if (e.keyword === 'required') {
      const name = /"(.*)"/.exec(e.error)?.[1] ?? '';
      faults.push({ pointer: `${pointer}/${name}`, message: `${what} needs ${name}.` });
    } else if (e.keyword === 'false') {
      faults.push({ pointer, message: `${what} has no property "${pointer.split('/').pop()}".` });
    } else if (!WRAPPERS.has(e.keyword)) {
      faults.push({ pointer, message: e.error });
    }
  }
  const seen = new Set<string>();
  return faults.filter((f) => !seen.has(`${f.pointer} ${f.message}`) && seen.add(`${f.pointer} ${f.message}`));
}

/** Checks a parsed body; the faults (empty when it is a valid `EventSubmission`). */
export function checkSubmission(body: unknown): RequestFault[] {
  if (!isObj(body)) return [{ pointer: '', message: 'The body must be a JSON object (an EventSubmission).' }];
  // A body the contract's schema accepts passes the focused checks too (they are looser: the
  // envelope with any known type, and the payload its type selects, which the schema's `oneOf`
  // matched by its `const` type), so a valid body needs one validation, not three.
  const result = full.validate(body);
  if (result.valid) return [];
  const faults = faultsOf(envelope.validate(body).errors, '', 'An EventSubmission');
  const type = isObj(body.event) ? body.event.type : undefined;
  const payload = typeof type === 'string' ? payloads.get(type) : undefined;
  if (payload) faults.push(...faultsOf(payload.validate(body.event).errors, '/event', type as string));
  if (faults.length > 0) return faults;
  // The focused checks found nothing: the contract's own schema has the last word.
  const last = faultsOf(result.errors, '', 'An EventSubmission');
  return last.length > 0 ? last : [{ pointer: '', message: 'The body does not match EventSubmission.' }];
}
