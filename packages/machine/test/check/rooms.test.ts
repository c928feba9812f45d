/**
 * The rooms section's checks (`/rooms`, `/grading`, `/performance`): every bad input is refused
 * at its pointer with its code, through `checkSection('rooms')` and the whole check alike — among
 * them the four: a rubric naming an unknown figure, overlapping thresholds, a room without
 * the two conveners the config asks for, and a QR URL that is neither https nor relative.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowConfig } from '../../src/config/parse-config.js';
import { at, broken, EXAMPLE_NAMES, example, sectionErrors, type Config } from './helpers.js';

const rooms = (change: (c: Config) => void) => at(sectionErrors('rooms', broken(change)));

describe('rooms section', () => {
  it('every example programme checks clean and keeps its rooms', () => {
    for (const name of EXAMPLE_NAMES) {
      assert.deepEqual(sectionErrors('rooms', example(name)), [], name);
      const parsed = parseWorkflowConfig(example(name));
      assert.ok(parsed.ok, name);
      assert.ok(parsed.config.rooms!.list.length >= 3, `${name} has at least 3 rooms`);
      const levels = new Set(parsed.config.rooms!.list.map((r) => r.level));
      assert.ok(levels.size >= 2, `${name} spans two levels`);
      for (const room of parsed.config.rooms!.list) assert.ok(room.conveners.length >= 2, `${room.id} has two conveners`);
    }
  });

  it('the issue\'s four bad inputs are refused with pointers', () => {
    assert.deepEqual(
      rooms((c) => {
        c.grading.criteria[1].figure = 'solvedRatio';
        c.grading.criteria[2].thresholds = [0.2, 0.4, 0.4, 0.8, 0.9];
        c.rooms.list[1].conveners.pop();
        c.rooms.intakeUrl = 'http://portal.example/raise?room={room}';
      }),
      [
        ['/rooms/intakeUrl', 'unsafe-url'],
        ['/rooms/list/1/conveners', 'too-few-conveners'],
        ['/grading/criteria/1/figure', 'unknown-figure'],
        ['/grading/criteria/2/thresholds/2', 'overlapping-thresholds'],
      ],
    );
    const unknown = sectionErrors('rooms', broken((c) => (c.grading.criteria[0].figure = 'sesionsHeld'))).find((e) => e.code === 'unknown-figure');
    assert.equal(unknown?.hint, 'Did you mean "sessionsHeld"?');
  });

  it('refuses every unsafe QR URL and accepts https and relative ones', () => {
    for (const url of ['//evil.example/raise', 'http://x.example/', 'javascript:alert(1)', 'data:text/html,hi', '/\\evil.example', 'https://', ' https://x.example/', 'java\tscript:alert(1)']) {
      assert.deepEqual(rooms((c) => (c.rooms.intakeUrl = url)), [['/rooms/intakeUrl', 'unsafe-url']], url);
    }
    for (const url of ['https://yishi.example/raise?p={programme}&r={room}&s={source}', '/raise?room={room}', '?room={room}#raise', './raise/{room}', '#raise']) {
      assert.deepEqual(rooms((c) => (c.rooms.intakeUrl = url)), [], url);
    }
    assert.deepEqual(rooms((c) => (c.rooms.intakeUrl = '?room={rooms}')), [['/rooms/intakeUrl', 'unknown-placeholder']]);
    assert.deepEqual(rooms((c) => (c.rooms.intakeUrl = '?room={room')), [['/rooms/intakeUrl', 'unclosed-brace']]);
  });

  it('room ids, parents and people', () => {
    assert.deepEqual(rooms((c) => (c.rooms.list[1].id = c.rooms.list[0].id)), [['/rooms/list/1/id', 'duplicate-room']]);
    assert.deepEqual(rooms((c) => (c.rooms.list[0].parent = 'qingmingqiao-jiedo')), [['/rooms/list/0/parent', 'unknown-parent']]);
    assert.deepEqual(rooms((c) => (c.rooms.list[0].parent = 'qingmingqiao-shequ')), [['/rooms/list/0/parent', 'parent-self']]);
    // A community room's parent at the community level does not rank higher.
    assert.deepEqual(rooms((c) => (c.rooms.list[0].parent = 'qingmingqiao-wuye')), [['/rooms/list/0/parent', 'parent-level']]);
    // street → district → street: the district room's parent ranks lower, and the street room comes back to itself.
    assert.deepEqual(
      rooms((c) => (c.rooms.list[3].parent = 'qingmingqiao-jiedao')),
      [
        ['/rooms/list/2/parent', 'parent-cycle'],
        ['/rooms/list/3/parent', 'parent-level'],
      ],
    );
    assert.deepEqual(rooms((c) => c.rooms.list[0].members.push({ id: 'c-qm-01', name: '钱美玲' })), [['/rooms/list/0/members/3/id', 'duplicate-person']]);
  });

  it('the number of conveners follows rooms.conveners (0 turns it off)', () => {
    assert.deepEqual(rooms((c) => delete c.rooms.list[2].conveners), [['/rooms/list/2/conveners', 'too-few-conveners']]);
    assert.deepEqual(rooms((c) => ((c.rooms.conveners = 0), delete c.rooms.list[2].conveners)), []);
    assert.deepEqual(
      rooms((c) => (c.rooms.conveners = 3)).map(([p]) => p),
      [0, 1, 2, 3].map((i) => `/rooms/list/${i}/conveners`),
    );
  });

  it('categories are options of the form\'s category field', () => {
    const errors = sectionErrors('rooms', broken((c) => (c.rooms.list[1].categories = ['lift', 'parkng'])));
    assert.deepEqual(at(errors), [['/rooms/list/1/categories/1', 'unknown-category']]);
    assert.equal(errors[0]!.hint, 'Did you mean "parking"?');
    // Guangshui's form has no category field: a room cannot claim categories.
    assert.deepEqual(at(sectionErrors('rooms', broken((c) => (c.rooms.list[0].categories = ['roads']), 'guangshui-frontline'))), [['/rooms/list/0/categories/0', 'unknown-category']]);
  });

  it('thresholds stay within what their figure can reach', () => {
    assert.deepEqual(rooms((c) => (c.grading.criteria[1].thresholds = [20, 40, 60, 75, 90])), [0, 1, 2, 3, 4].map((k) => [`/grading/criteria/1/thresholds/${k}`, 'share-range']));
    assert.deepEqual(rooms((c) => (c.grading.criteria[3].thresholds = [1, 2, 3, 4, 6])), [['/grading/criteria/3/thresholds/4', 'above-scale']]);
    assert.deepEqual(rooms((c) => (c.grading.criteria[0].thresholds = [1, 2.5, 4, 6, 8])), [['/grading/criteria/0/thresholds/1', 'not-a-count']]);
    assert.deepEqual(rooms((c) => (c.grading.criteria[4] = { figure: 'sessionsHeld', thresholds: [1, 2, 3, 4, 5] })), [['/grading/criteria/4/figure', 'duplicate-figure']]);
    assert.deepEqual(rooms((c) => (c.grading.criteria[0].thresholds = [8, 6, 4, 2, 1])), [['/grading/criteria/0/thresholds/1', 'overlapping-thresholds']]);
    // The schema's own limits: five thresholds, no negative ones.
    assert.deepEqual(rooms((c) => (c.grading.criteria[0].thresholds = [1, 2, 3])), [['/grading/criteria/0/thresholds', 'minItems']]);
    assert.deepEqual(rooms((c) => (c.grading.criteria[0].thresholds[0] = -1)), [['/grading/criteria/0/thresholds/0', 'minimum']]);
  });

  it('performance targets: known figures, unique ids, whole numbers', () => {
    assert.deepEqual(
      rooms((c) => {
        c.performance.targets[0].figure = 'proposals';
        c.performance.targets[1].id = 'proposal';
        c.performance.targets[2].perYear = 1.5;
        c.performance.targets[3].perYear = -1;
      }),
      [
        ['/performance/targets/0/figure', 'unknown-figure'],
        ['/performance/targets/1/id', 'duplicate-id'],
        ['/performance/targets/2/perYear', 'invalid-per-year'],
        ['/performance/targets/3/perYear', 'invalid-per-year'],
      ],
    );
  });

  it('defaults: two conveners, the relative intake URL, the default rubric and the three countable "five ones"', () => {
    const raw = broken((c) => {
      delete c.grading;
      delete c.performance;
      delete c.rooms.conveners;
      delete c.rooms.intakeUrl;
      delete c.rooms.list[0].members;
      delete c.rooms.list[0].categories;
    });
    const parsed = parseWorkflowConfig(raw);
    assert.ok(parsed.ok);
    const { rooms: r, grading, performance } = parsed.config;
    assert.equal(r!.conveners, 2);
    assert.equal(r!.intakeUrl, '?programme={programme}&room={room}&source={source}#raise');
    assert.deepEqual(r!.list[0]!.members, []);
    assert.deepEqual(r!.list[0]!.categories, []);
    assert.equal(r!.list[0]!.conveners[0]!.role, 'convener');
    assert.deepEqual(grading, {
      period: 'year',
      combine: 'minimum',
      criteria: [
        { figure: 'sessionsHeld', thresholds: [1, 2, 4, 6, 8] },
        { figure: 'solvedShare', thresholds: [0.2, 0.4, 0.6, 0.75, 0.9] },
        { figure: 'onTimeShare', thresholds: [0.2, 0.4, 0.6, 0.8, 0.9] },
        { figure: 'averageSatisfaction', thresholds: [1, 2, 3, 4, 4.5] },
        { figure: 'memberParticipation', thresholds: [0.2, 0.4, 0.6, 0.8, 0.9] },
      ],
    });
    assert.deepEqual(performance.targets.map((t) => [t.id, t.figure, t.perYear]), [
      ['proposal', 'topicsRecommended', 1],
      ['research', 'researchVisits', 1],
      ['consultation', 'consultations', 1],
    ]);
    // A config without rooms has none, and still gets the rubric and targets.
    const none = parseWorkflowConfig(broken((c) => delete c.rooms));
    assert.ok(none.ok);
    assert.equal(none.config.rooms, undefined);
    assert.equal(none.config.grading.criteria.length, 5);
  });
});
