/**
 * The rules of the rooms section (`/rooms`, `/grading`, `/performance`) the schema cannot
 * express: unique room and person ids, parents that exist and rank higher without a cycle, enough
 * conveners, categories the form offers, a QR URL that is `https:` or relative with known
 * placeholders; rubric figures, ascending thresholds in range; performance targets.
 *
 * Two rules read another section, as written (never whether its schema part is sound, so that
 * `checkSection('rooms')` gives what the whole check gives): the form's category field
 * (`unknown-category`) and the evaluation step's `scale` (`above-scale`).
 */
import { LEVEL_RANK, PERSONAL_TYPES, type Level } from '../config.types.js';
import { GRADE_FIGURES, PERFORMANCE_FIGURES } from '../../rooms/rooms.types.js';
import { DEFAULT_ROOM_CONVENERS, INTAKE_URL_PLACEHOLDERS } from '../../rooms/rooms-defaults.js';
import { DEFAULTS } from '../defaults.js';
import { arrayProp, isObject, prop, stringProp, toPointer, valueAt, type Json, type Path } from './json.js';
import { formOf } from './fields.js';
import { checkUniqueIds, reportDuplicates, soundNumber, type RuleContext } from './rules.js';
import { count, didYouMean, oneOfPhrase, render } from './wording.js';

const SHARES = new Set(['solvedShare', 'onTimeShare', 'memberParticipation']);
const COUNTS = new Set(['sessionsHeld', 'participants', 'topicsRaised', 'topicsSolved']);

/** Every rule of the rooms section (see the module's description). */
export function checkRooms(rules: RuleContext): void {
  checkRoomList(rules);
  checkIntakeUrl(rules);
  checkGrading(rules);
  checkPerformance(rules);
}

interface RoomInfo {
  index: number;
  id: string | undefined;
  level: Level | undefined;
  parent: string | undefined;
}

function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && Object.hasOwn(LEVEL_RANK, value);
}

function checkRoomList(rules: RuleContext): void {
  const { root, report } = rules;
  const list = arrayProp(prop(root, 'rooms'), 'list');
  if (!list) return;
  const rooms: RoomInfo[] = list.map((node, index) => ({
    index,
    id: stringProp(node, 'id'),
    level: isLevel(prop(node, 'level')) ? (prop(node, 'level') as Level) : undefined,
    parent: stringProp(node, 'parent'),
  }));
  reportDuplicates(
    rooms.map((r) => ({ value: r.id, path: ['rooms', 'list', r.index, 'id'] })),
    (at, id, first) =>
      report(at, 'duplicate-room', `The room id ${render(id)} is used twice (first at ${toPointer(first)}); room ids must be unique in the programme.`, {
        got: render(id),
        hint: 'Rename one of the two rooms: topics and QR codes name a room by its id.',
      }),
  );
  const byId = new Map<string, RoomInfo>();
  for (const r of rooms) if (r.id !== undefined && !byId.has(r.id)) byId.set(r.id, r);
  const ids = [...byId.keys()];
  const minimum = soundNumber(rules, ['rooms', 'conveners'], DEFAULT_ROOM_CONVENERS);
  const form = formOf(root);
  const category = categoryOptions(root);
  for (const room of rooms) {
    const path: Path = ['rooms', 'list', room.index];
    const node = list[room.index];
    if (!isObject(node)) continue;
    checkParent(rules, room, byId, ids, path);
    const conveners = arrayProp(node, 'conveners') ?? (prop(node, 'conveners') === undefined ? [] : undefined);
    if (conveners && minimum !== undefined && conveners.length < minimum) {
      report([...path, 'conveners'], 'too-few-conveners', `The room ${render(room.id ?? `#${room.index}`)} names ${count(conveners.length, 'convener')}; this programme asks for at least ${minimum} (双召集人).`, {
        expected: `at least ${count(minimum, 'convener')}`,
        got: String(conveners.length),
        hint: 'Add the head of the local Party organisation and a council member as conveners, or lower rooms.conveners.',
      });
    }
    const people = (['conveners', 'members'] as const).flatMap((key) =>
      (arrayProp(node, key) ?? []).map((p, k) => ({ value: stringProp(p, 'id'), path: [...path, key, k, 'id'] })),
    );
    reportDuplicates(people, (at, id, first) =>
      report(at, 'duplicate-person', `The person ${render(id)} is named twice in this room (first at ${toPointer(first)}).`, {
        got: render(id),
        hint: 'Name each person once: as a convener or as a member.',
      }),
    );
    (arrayProp(node, 'categories') ?? []).forEach((value, k) => {
      if (typeof value !== 'string') return;
      const at: Path = [...path, 'categories', k];
      if (category === null) {
        report(at, 'unknown-category', `The room handles the category ${render(value)}, but the form has no category field to take it from.`, {
          got: render(value),
          hint: form ? 'Add a select or radio field named "category" to the form, or leave categories empty (any).' : 'Leave categories empty (any).',
        });
      } else if (category !== undefined && !category.includes(value)) {
        const suggestion = didYouMean(value, category);
        report(at, 'unknown-category', `${render(value)} is not an option of the form's category field.`, {
          expected: oneOfPhrase(category),
          got: render(value),
          hint: suggestion ? `Did you mean ${render(suggestion)}?` : "Use one of the category field's option values.",
        });
      }
    });
  }
}

/**
 * The option values of the form's category field (role `category`, else named `category`, not
 * personal), as written: null when the form has no such field, undefined when its values cannot
 * be listed (a field without options, or a form too broken to read).
 */
function categoryOptions(root: Json): string[] | null | undefined {
  if (!isObject(root)) return undefined;
  const form = formOf(root);
  if (!form) return undefined;
  const shareable = form.fields.filter((f) => !(f.type !== undefined && PERSONAL_TYPES.includes(f.type)) && prop(f.node, 'personal') !== true);
  const field = shareable.find((f) => prop(f.node, 'role') === 'category') ?? shareable.find((f) => f.name === 'category');
  if (!field) return form.complete ? null : undefined;
  const options = arrayProp(field.node, 'options');
  if (!options) return undefined;
  const values = options.map((o) => stringProp(o, 'value'));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

function checkParent(rules: RuleContext, room: RoomInfo, byId: ReadonlyMap<string, RoomInfo>, ids: readonly string[], path: Path): void {
  const { report } = rules;
  if (room.parent === undefined) return;
  const at: Path = [...path, 'parent'];
  if (room.parent === room.id) {
    report(at, 'parent-self', `The room ${render(room.id)} names itself as its parent.`, {
      got: render(room.parent),
      hint: 'Name the room one rank up that takes its escalated topics, or remove parent.',
    });
    return;
  }
  const parent = byId.get(room.parent);
  if (!parent) {
    const suggestion = didYouMean(room.parent, ids);
    report(at, 'unknown-parent', `The parent ${render(room.parent)} is not a room of this programme.`, {
      expected: oneOfPhrase(ids.filter((id) => id !== room.id)),
      got: render(room.parent),
      hint: suggestion ? `Did you mean ${render(suggestion)}?` : 'Use the id of a room in rooms.list.',
    });
    return;
  }
  if (room.level && parent.level && LEVEL_RANK[parent.level] <= LEVEL_RANK[room.level]) {
    report(at, 'parent-level', `The parent ${render(parent.id)} is at the ${parent.level} level, which does not rank above this room's ${room.level} level.`, {
      expected: 'a room at a higher level (village/community < town/street/park < district/county/sector < city)',
      got: render(room.parent),
      hint: 'Escalation moves a topic up: name a room of a higher level as the parent.',
    });
    return;
  }
  const seen = new Set<string>([room.id ?? '']);
  for (let next: RoomInfo | undefined = parent; next?.parent !== undefined; next = byId.get(next.parent)) {
    if (seen.has(next.parent)) {
      if (next.parent === room.id) {
        report(at, 'parent-cycle', `Following the parents from ${render(room.id)} comes back to it.`, {
          got: render(room.parent),
          hint: 'Each room\'s parent must be a room further up, so the chain of parents ends.',
        });
      }
      return;
    }
    if (next.id !== undefined) seen.add(next.id);
  }
}

function checkIntakeUrl({ root, report }: RuleContext): void {
  const value = valueAt(root, ['rooms', 'intakeUrl']);
  if (typeof value !== 'string' || value === '') return;
  const path: Path = ['rooms', 'intakeUrl'];
  const expected = 'an https: URL or a relative one (/…, ?…, ./…, #…), with {programme}, {room} and {source}';
  let filled = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '{') {
      filled += value[i];
      continue;
    }
    const end = value.indexOf('}', i);
    if (end === -1) {
      report(path, 'unclosed-brace', 'rooms.intakeUrl opens a placeholder with "{" and never closes it.', { expected, got: render(value), hint: 'Close it with "}", or write %7B for a brace.' });
      return;
    }
    const name = value.slice(i + 1, end);
    if (!(INTAKE_URL_PLACEHOLDERS as readonly string[]).includes(name)) {
      const suggestion = didYouMean(name, INTAKE_URL_PLACEHOLDERS);
      report(path, 'unknown-placeholder', `rooms.intakeUrl names the placeholder {${name}}, which is not one of {programme}, {room} and {source}.`, {
        expected,
        got: render(value),
        hint: suggestion ? `Did you mean {${suggestion}}?` : 'Use {programme}, {room} or {source}.',
      });
      return;
    }
    filled += 'x';
    i = end;
  }
  if (!safeIntakeUrl(filled)) {
    report(path, 'unsafe-url', 'rooms.intakeUrl must be an https: URL or relative: a printed QR code must not open http:, another scheme or a host-relative //address.', {
      expected,
      got: render(value),
      hint: 'Write the portal’s intake address with https: and the placeholders, or a relative address such as ?programme={programme}&room={room}&source={source}#raise.',
    });
  }
}

/** https: or relative, never protocol-relative (`//host`, `/\host`), never control characters. */
function safeIntakeUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\s]/.test(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.host !== '';
    } catch {
      return false;
    }
  }
  return !/^[/\\]{2}/.test(value) && !/^\/\\/.test(value);
}

function evaluationScale(root: Json): number | undefined {
  const steps = isObject(root) ? arrayProp(root, 'steps') : undefined;
  const step = steps?.find((s) => stringProp(s, 'type') === 'evaluation');
  if (!step) return DEFAULTS.evaluation.scale;
  const scale = prop(step, 'scale');
  if (scale === undefined) return DEFAULTS.evaluation.scale;
  return typeof scale === 'number' && Number.isInteger(scale) && scale >= 2 ? scale : undefined;
}

function checkGrading({ root, report, sound }: RuleContext): void {
  const criteria = arrayProp(prop(root, 'grading'), 'criteria');
  if (!criteria) return;
  const scale = evaluationScale(root);
  const figures: Array<{ value: string | undefined; path: Path }> = [];
  criteria.forEach((node, i) => {
    const path: Path = ['grading', 'criteria', i];
    const figure = stringProp(node, 'figure');
    const known = figure !== undefined && (GRADE_FIGURES as readonly string[]).includes(figure);
    if (figure !== undefined && !known) {
      const suggestion = didYouMean(figure, GRADE_FIGURES);
      report([...path, 'figure'], 'unknown-figure', `The rubric refers to the figure ${render(figure)}, which the machine does not compute.`, {
        expected: oneOfPhrase(GRADE_FIGURES),
        got: render(figure),
        hint: suggestion ? `Did you mean ${render(suggestion)}?` : 'Use one of the grading figures.',
      });
    }
    if (known) figures.push({ value: figure, path: [...path, 'figure'] });
    const thresholds = arrayProp(node, 'thresholds');
    if (!thresholds || !sound([...path, 'thresholds'])) return;
    const values = thresholds as number[];
    for (let k = 1; k < values.length; k++) {
      if (values[k]! <= values[k - 1]!) {
        report([...path, 'thresholds', k], 'overlapping-thresholds', `Threshold ${k + 1} (${values[k]}) is not above threshold ${k} (${values[k - 1]}), so two star counts would need the same value.`, {
          expected: `a number above ${values[k - 1]}`,
          got: String(values[k]),
          hint: 'Write the five thresholds strictly ascending: the value for 1 star, then 2, … 5.',
        });
        break;
      }
    }
    if (!known) return;
    values.forEach((v, k) => {
      const at: Path = [...path, 'thresholds', k];
      if (SHARES.has(figure) && v > 1) {
        report(at, 'share-range', `${figure} is a share from 0 to 1, so a threshold of ${v} can never be reached.`, {
          expected: 'a number from 0 to 1 (0.6 for 60%)',
          got: String(v),
          hint: 'Write shares as fractions: 0.75, not 75.',
        });
      } else if (figure === 'averageSatisfaction' && scale !== undefined && v > scale) {
        report(at, 'above-scale', `averageSatisfaction is at most the evaluation scale of ${scale} stars, so a threshold of ${v} can never be reached.`, {
          expected: `a number from 0 to ${scale}`,
          got: String(v),
          hint: 'Lower the threshold, or raise the evaluation step\'s scale.',
        });
      } else if (COUNTS.has(figure) && !Number.isInteger(v)) {
        report(at, 'not-a-count', `${figure} is a count, so its thresholds are whole numbers.`, { expected: 'a whole number', got: String(v) });
      }
    });
  });
  reportDuplicates(figures, (at, figure, first) =>
    report(at, 'duplicate-figure', `The rubric grades ${render(figure)} twice (first at ${toPointer(first)}).`, {
      got: render(figure),
      hint: 'Keep one criterion per figure.',
    }),
  );
}

function checkPerformance(rules: RuleContext): void {
  const { root, report } = rules;
  const targets = arrayProp(prop(root, 'performance'), 'targets');
  if (!targets) return;
  checkUniqueIds(rules, ['performance', 'targets'], 'performance target');
  targets.forEach((node, i) => {
    const path: Path = ['performance', 'targets', i];
    const figure = stringProp(node, 'figure');
    if (figure !== undefined && !(PERFORMANCE_FIGURES as readonly string[]).includes(figure)) {
      const suggestion = didYouMean(figure, PERFORMANCE_FIGURES);
      report([...path, 'figure'], 'unknown-figure', `The target counts the figure ${render(figure)}, which a performance file does not have.`, {
        expected: oneOfPhrase(PERFORMANCE_FIGURES),
        got: render(figure),
        hint: suggestion ? `Did you mean ${render(suggestion)}?` : 'Use one of the performance figures.',
      });
    }
    const perYear = prop(node, 'perYear');
    if (perYear !== undefined && !(typeof perYear === 'number' && Number.isInteger(perYear) && perYear >= 0)) {
      report([...path, 'perYear'], 'invalid-per-year', 'perYear is how many a year: a whole number, 0 or more.', { expected: 'a whole number ≥ 0', got: render(perYear) });
    }
  });
}
