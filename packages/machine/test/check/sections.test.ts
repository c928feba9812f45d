/**
 * The sections as a whole: every property of the schema's root belongs to exactly one section,
 * `sectionOf` places every pointer, and over many broken configs each section's own check gives
 * exactly the whole check's errors in that section — but for the one documented blind spot
 * (a channel's `when` beside a faulty form).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import schemaDocument from '../../src/config/workflow.schema.json' with { type: 'json' };
import { checkSection, parseWorkflowConfig } from '../../src/config/parse-config.js';
import { CONFIG_SECTIONS, sectionOf, type SectionId } from '../../src/config/check/sections.js';
import type { ConfigError } from '../../src/config/config.types.js';
import { prng } from '../prng.js';
import { example, EXAMPLE_NAMES, type Config } from './helpers.js';

describe('CONFIG_SECTIONS and sectionOf', () => {
  it('puts every property of the schema root in exactly one section', () => {
    const covered = CONFIG_SECTIONS.flatMap((s) => s.pointers);
    assert.deepEqual([...covered].sort(), Object.keys(schemaDocument.properties).map((k) => `/${k}`).sort());
    assert.equal(new Set(covered).size, covered.length);
    assert.deepEqual(
      CONFIG_SECTIONS.map((s) => s.id),
      ['root', 'form', 'lifecycle', 'permissions', 'transport', 'notifications', 'rooms'],
    );
    for (const s of CONFIG_SECTIONS) assert.ok(s.label['zh-CN'] && s.label.en, `${s.id} is named in both languages`);
  });

  it('places pointers by their first segment; the document and unknown properties are the root', () => {
    assert.equal(sectionOf('/form/pages/0/fields/2/label/en'), 'form');
    assert.equal(sectionOf('/privacy/url'), 'form');
    assert.equal(sectionOf('/steps/1/channels/0/when/field'), 'lifecycle');
    assert.equal(sectionOf('/level'), 'lifecycle');
    assert.equal(sectionOf('/permissions/rating.submit/0'), 'permissions');
    assert.equal(sectionOf('/personalDataRoles'), 'permissions');
    assert.equal(sectionOf('/offlineGraceHours'), 'transport');
    assert.equal(sectionOf('/notifications/notices/topic.accepted/text/en'), 'notifications');
    assert.equal(sectionOf('/rooms/list/0/conveners'), 'rooms');
    assert.equal(sectionOf('/grading/criteria/1/thresholds/3'), 'rooms');
    assert.equal(sectionOf('/performance/targets/0/perYear'), 'rooms');
    assert.equal(sectionOf('/$schema'), 'root');
    assert.equal(sectionOf(''), 'root');
    assert.equal(sectionOf('/fomr'), 'root');
    assert.equal(sectionOf('/formx/pages'), 'root');
  });
});

// ─── Many broken configs ──────────────────────────────────────────────────────────────────

const WORDS = ['text', 'texts', 'select', 'intake', 'meeting', 'screening', 'evaluation', 'javascript:alert(1)', 'https://x.org', '2024-13-01',
  'title', 'description', 'city', 'village', 'resident', 'mayor', 'admin', '(', '', 'category', 'contactWanted', 'http', 'zh-CN', '{due', 'rating.submit'];

function pathsOf(node: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(path);
  if (Array.isArray(node)) node.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (node && typeof node === 'object') for (const k of Object.keys(node)) pathsOf((node as Config)[k], [...path, k], out);
  return out;
}

/** Breaks a config in one random place: a deletion, a wrong value, a duplicate, a move, an extra property. */
function mutate(root: Config, random: () => number): void {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const value = (): unknown => pick([pick(WORDS), Math.floor(random() * 12) - 2, 2.5, true, null, [], {}, { field: pick(WORDS), equals: pick(WORDS) }, [pick(WORDS)]]);
  const path = pick(pathsOf(root).filter((p) => p.length > 0));
  let parent: Config = root;
  for (const s of path.slice(0, -1)) parent = parent[s];
  const key = String(path[path.length - 1]);
  const node: Record<string, unknown> = parent;
  const r = random();
  if (r < 0.25) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (r < 0.55) parent[key] = value();
  else if (r < 0.65 && Array.isArray(parent)) parent.push(structuredClone(parent[Number(key)]));
  else if (r < 0.72 && Array.isArray(parent) && parent.length > 1) parent.unshift(...parent.splice(Number(key), 1));
  else if (r < 0.85 && !Array.isArray(parent) && typeof parent === 'object' && parent !== null) parent[pick(WORDS) || 'extra'] = value();
  else if (typeof node[key] === 'string') node[key] = `${node[key] as string}${pick(['s', 'X', '{'])}`;
  else node[key] = value();
}

const CHANNEL_WHEN = /^\/steps\/\d+\/channels\/\d+\/when(\/|$)/;

describe('checkSection over broken configs', () => {
  it("gives each section exactly the whole check's errors there, in the same order (600 configs, 7 sections each)", () => {
    const random = prng(0x5ec7_1045);
    let compared = 0;
    let blindSpots = 0;
    const faulty = new Map<SectionId, number>();
    for (let n = 0; n < 600; n++) {
      const config = example(EXAMPLE_NAMES[n % EXAMPLE_NAMES.length]);
      const faults = 1 + Math.floor(random() * (n % 8 === 0 ? 20 : 4));
      for (let k = 0; k < faults; k++) mutate(config, random);
      const result = parseWorkflowConfig(config);
      const all: ConfigError[] = result.ok ? [] : result.errors;
      const union: ConfigError[] = [];
      for (const { id } of CONFIG_SECTIONS) {
        const whole = all.filter((e) => sectionOf(e.pointer) === id);
        const own = checkSection(id as SectionId, config);
        union.push(...own);
        if (whole.length > 0) faulty.set(id, (faulty.get(id) ?? 0) + 1);
        compared++;
        if (id === 'lifecycle' && all.some((e) => sectionOf(e.pointer) === 'form')) {
          // The documented blind spot: it may add a channel test the whole check leaves to the form's own fault.
          const extra = own.filter((e) => !whole.some((w) => JSON.stringify(w) === JSON.stringify(e)));
          for (const e of extra) assert.ok(CHANNEL_WHEN.test(e.pointer) && ['unknown-option', 'unknown-field'].includes(e.code), JSON.stringify(e));
          assert.deepEqual(own.filter((e) => !extra.includes(e)), whole, `lifecycle of config ${n}`);
          blindSpots += extra.length;
          continue;
        }
        assert.deepEqual(own, whole, `${id} of config ${n}: ${JSON.stringify(config).slice(0, 200)}`);
      }
      // Together the sections miss nothing the whole check finds.
      for (const e of all) assert.ok(union.some((u) => JSON.stringify(u) === JSON.stringify(e)), `config ${n} lost ${JSON.stringify(e)}`);
    }
    assert.equal(compared, 4200);
    // The fuzzing reaches every section, so each comparison above was tested with faults in it.
    for (const { id } of CONFIG_SECTIONS) assert.ok((faulty.get(id) ?? 0) >= 5, `${id} was faulty in only ${faulty.get(id) ?? 0} configs`);
    assert.ok(blindSpots < 40, `the blind spot is rare (${blindSpots})`);
  });
});
