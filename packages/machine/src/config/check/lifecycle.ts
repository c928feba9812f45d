/**
 * The lifecycle's rules the schema cannot express: the steps' order (one of each type, the
 * required ones present), unique ids in each step's lists, redirect channels' URLs and `when`
 * conditions, escalation only upward from the programme's `level`, and an evaluation's threshold
 * and star labels that fit its scale. Pointers under `/steps` (the `level` is read, never blamed).
 */
import { DEFAULTS } from '../defaults.js';
import { LEVEL_RANK, REQUIRED_STEPS, STEP_ORDER, type Level, type StepType } from '../config.types.js';
import { arrayProp, prop, valueAt, type Path } from './json.js';
import { checkConditionLeaf, forEachConditionLeaf, formOf } from './fields.js';
import { checkUniqueIds, checkUrl, soundNumber, URL_SCHEMES, type RuleContext } from './rules.js';
import { count, joinWords, oneOfPhrase, quoteList, render } from './wording.js';

/** Every rule of the lifecycle section (see the module's description). */
export function checkLifecycle(rules: RuleContext): void {
  checkSteps(rules);
  checkChannelConditions(rules);
}

function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && (STEP_ORDER as readonly string[]).includes(value);
}

function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && Object.hasOwn(LEVEL_RANK, value);
}

function checkSteps(rules: RuleContext): void {
  const steps = arrayProp(rules.root, 'steps');
  if (!steps) return;
  const firstOfType = new Map<StepType, number>();
  const ranked: Array<{ index: number; rank: number }> = [];
  let everyStepTyped = true;
  steps.forEach((step, index) => {
    const type = prop(step, 'type');
    if (!isStepType(type)) {
      everyStepTyped = false;
      return;
    }
    const first = firstOfType.get(type);
    if (first !== undefined) {
      rules.report(['steps', index, 'type'], 'duplicate-step', `The step ${render(type)} appears twice (first at /steps/${first}); each step type may be used once.`, {
        got: render(type),
        hint: 'Remove one of them, or merge their settings.',
      });
      return;
    }
    firstOfType.set(type, index);
    ranked.push({ index, rank: STEP_ORDER.indexOf(type) });
    checkStep(rules, type, ['steps', index]);
  });
  const order = STEP_ORDER.join(' → ');
  for (const index of outOfOrder(ranked)) {
    const type = prop(steps[index], 'type');
    rules.report(['steps', index, 'type'], 'step-order', `The step ${render(type)} is out of order: steps must come in the order ${order}.`, {
      expected: order,
      got: render(type),
      hint: `Move the ${render(type)} step to its place in that order.`,
    });
  }
  // A step without a valid type may be the "missing" one: its own error says enough.
  if (!everyStepTyped) return;
  const missing = REQUIRED_STEPS.filter((type) => !firstOfType.has(type));
  if (missing.length === 0) return;
  const names = joinWords(missing.map((type) => render(type)), 'and');
  rules.report(['steps'], 'missing-step', `The required step${missing.length === 1 ? '' : 's'} ${names} ${missing.length === 1 ? 'is' : 'are'} missing: every programme has ${joinWords(REQUIRED_STEPS, 'and')}.`, {
    expected: `steps including ${quoteList(REQUIRED_STEPS)}`,
    got: quoteList(steps.map((step) => prop(step, 'type'))),
    hint: `Add ${joinWords(missing.map((type) => `{ "type": ${render(type)} }`), 'and')} in their place: ${order}.`,
  });
}

/** Indexes of the steps outside one longest run that is already in lifecycle order. */
function outOfOrder(steps: ReadonlyArray<{ index: number; rank: number }>): number[] {
  const length = steps.map(() => 1);
  const previous = steps.map(() => -1);
  for (let i = 0; i < steps.length; i++) {
    for (let j = 0; j < i; j++) {
      if (steps[j]!.rank < steps[i]!.rank && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
  }
  const kept = new Set<number>();
  for (let end = length.indexOf(Math.max(0, ...length)); end !== -1; end = previous[end]!) kept.add(end);
  return steps.filter((_, i) => !kept.has(i)).map((s) => s.index);
}

function checkStep(rules: RuleContext, type: StepType, path: Path): void {
  switch (type) {
    case 'intake':
      checkUniqueIds(rules, [...path, 'sources'], 'source');
      break;
    case 'screening':
      checkUniqueIds(rules, [...path, 'channels'], 'channel');
      arrayProp(valueAt(rules.root, path), 'channels')?.forEach((_, i) => checkUrl(rules, [...path, 'channels', i, 'url'], URL_SCHEMES));
      checkEscalation(rules, [...path, 'escalation', 'levels']);
      break;
    case 'meeting':
      checkUniqueIds(rules, [...path, 'formats'], 'format');
      checkUniqueIds(rules, [...path, 'agenda'], 'agenda stage');
      break;
    case 'handling':
      checkUniqueIds(rules, [...path, 'parties'], 'party');
      break;
    case 'evaluation':
      checkEvaluation(rules, path);
      break;
    default:
      break;
  }
}

function checkEscalation({ root, report }: RuleContext, path: Path): void {
  const level = prop(root, 'level');
  const levels = valueAt(root, path);
  if (!isLevel(level) || !Array.isArray(levels)) return;
  const base = LEVEL_RANK[level];
  const higher = (Object.keys(LEVEL_RANK) as Level[]).filter((l) => LEVEL_RANK[l] > base);
  levels.forEach((target, j) => {
    if (!isLevel(target) || LEVEL_RANK[target] > base) return;
    report([...path, j], 'escalation-level', `Escalating to ${render(target)} would not move a topic up: it must rank above the programme's level ${render(level)}.`, {
      expected: higher.length > 0 ? oneOfPhrase(higher) : 'no level (nothing ranks above "city")',
      got: render(target),
      hint:
        higher.length > 0
          ? 'Escalation moves a topic to a higher level: village/community → town/street/park → district/county/sector → city.'
          : 'Remove escalation: a city programme has no higher level.',
    });
  });
}

function checkEvaluation(rules: RuleContext, path: Path): void {
  const defaults = DEFAULTS.evaluation;
  const scale = soundNumber(rules, [...path, 'scale'], defaults.scale);
  if (scale === undefined) return;
  const thresholdPath = [...path, 'reopenThreshold'];
  const threshold = soundNumber(rules, thresholdPath, defaults.reopenThreshold);
  if (threshold !== undefined && threshold > scale) {
    const given = valueAt(rules.root, thresholdPath) !== undefined;
    rules.report(
      thresholdPath,
      'threshold-above-scale',
      `${given ? 'reopenThreshold' : 'The default reopenThreshold'} ${threshold} is above the evaluation scale of ${scale} stars, so every evaluation would reopen handling.`,
      { expected: `a number from 1 to ${scale}`, got: String(threshold), hint: given ? 'Lower reopenThreshold or raise scale.' : `Set reopenThreshold to at most ${scale}.` },
    );
  }
  const labels = valueAt(rules.root, [...path, 'starLabels']);
  if (Array.isArray(labels) && labels.length !== scale) {
    rules.report([...path, 'starLabels'], 'star-labels-length', `starLabels has ${count(labels.length, 'label')}, but the scale has ${scale} stars.`, {
      expected: `${count(scale, 'label')}, lowest first`,
      got: count(labels.length, 'label'),
      hint: 'Give exactly one label per star.',
    });
  }
}

/** A redirect channel's `when` names fields of the form, and compares choice fields with their options. */
function checkChannelConditions(rules: RuleContext): void {
  const form = formOf(rules.root);
  if (!form) return;
  arrayProp(rules.root, 'steps')?.forEach((step, s) => {
    if (prop(step, 'type') !== 'screening') return;
    arrayProp(step, 'channels')?.forEach((channel, c) =>
      forEachConditionLeaf(prop(channel, 'when'), ['steps', s, 'channels', c, 'when'], (leaf, path) => checkConditionLeaf(rules, form, leaf, path)),
    );
  });
}
