/**
 * lifecycleGraph (what the studio's diagram pane lays out) and lifecycleDiagram (the Mermaid
 * source drawn from it): the configured steps and nothing else, the events on the edges, names in
 * either language, and the Mermaid output as it has always been (docs/machine.md shows it).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lifecycleDiagram, lifecycleGraph, type LifecycleGraph } from '../src/diagram.js';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import { EVENT_TYPES, type WorkflowConfig } from '../src/config/config.types.js';
import { createTopicMachine } from '../src/topic.machine.js';

const NAMES = ['wuxi-community', 'sichuan-courtyard', 'guangshui-frontline'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../../examples/configs/${name}.json`, import.meta.url), 'utf8'));

function checked(json: unknown): WorkflowConfig {
  const result = parseWorkflowConfig(json);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.config;
}

/** The example without some of its optional steps. */
function without(name: string, ...types: string[]): WorkflowConfig {
  const json = raw(name);
  json.steps = json.steps.filter((s: { type: string }) => !types.includes(s.type));
  return checked(json);
}

const ids = (graph: LifecycleGraph) => graph.nodes.map((n) => n.id);
const edge = (graph: LifecycleGraph, from: string, to: string) => graph.edges.filter((e) => e.from === from && e.to === to);

describe('lifecycleGraph', () => {
  for (const name of NAMES) {
    it(`${name}: a sound graph of the configured steps, read from the topic machine`, () => {
      const config = checked(raw(name));
      const graph = lifecycleGraph(config, 'en');
      const nodeIds = new Set(ids(graph));
      assert.equal(nodeIds.size, graph.nodes.length, 'ids are unique');
      for (const e of graph.edges) assert.ok(nodeIds.has(e.from) && nodeIds.has(e.to), `${e.from} → ${e.to} joins two nodes`);
      for (const n of graph.nodes) {
        if (n.parent) assert.equal(graph.nodes.find((p) => p.id === n.parent)?.kind, 'compound', `${n.id} sits in a compound state`);
        assert.equal(n.id, n.parent ? `${n.parent}_${n.key}` : n.key, 'ids are the state paths joined by _');
        assert.ok(n.label.length > 0);
      }
      // Every state of the machine is a node: the machine's own ids, with `.` → `_`.
      const machine = createTopicMachine(config);
      const states: string[] = [];
      const walk = (node: { path: string[]; states: Record<string, unknown> }) => {
        for (const child of Object.values(node.states) as Array<typeof node>) {
          states.push(child.path.join('_'));
          walk(child);
        }
      };
      walk(machine.root as unknown as { path: string[]; states: Record<string, unknown> });
      assert.deepEqual(ids(graph), states);
      assert.deepEqual(graph.initial.find((i) => i.parent === undefined), { to: 'draft' });
      assert.deepEqual(graph.initial.find((i) => i.parent === 'meeting'), { parent: 'meeting', to: 'meeting_planning' });
      // Edges carry the events the machine takes.
      for (const e of graph.edges) if (e.event) assert.ok((EVENT_TYPES as readonly string[]).includes(e.event), e.event);
      assert.deepEqual(edge(graph, 'draft', 'submitted').map((e) => [e.event, e.label]), [['topic.submit', 'Submit topic']]);
      assert.deepEqual(edge(graph, 'meeting_scheduled', 'meeting_inSession').map((e) => e.event), ['meeting.start']);
      assert.ok(graph.nodes.some((n) => n.id === 'closed' && n.kind === 'final'));
    });
  }

  it('has the configured steps only: no research node when research is off, no evaluation without it', () => {
    const full = lifecycleGraph(checked(raw('wuxi-community')));
    assert.ok(ids(full).includes('research'));
    assert.deepEqual(edge(full, 'accepted', 'research').map((e) => e.event), [undefined]);
    assert.deepEqual(edge(full, 'research', 'meeting').map((e) => e.event), ['research.complete']);

    const noResearch = lifecycleGraph(without('wuxi-community', 'research'));
    assert.ok(!ids(noResearch).includes('research'));
    assert.ok(!noResearch.edges.some((e) => e.event === 'research.complete'));
    assert.deepEqual(edge(noResearch, 'accepted', 'meeting').length, 1, 'accepted goes straight to the meeting');

    const lean = lifecycleGraph(without('wuxi-community', 'screening', 'research', 'feedback', 'evaluation'), 'en');
    for (const gone of ['screening', 'accepted', 'rejected', 'research', 'evaluation']) assert.ok(!ids(lean).includes(gone), gone);
    assert.deepEqual(edge(lean, 'submitted', 'meeting').length, 1);
    // Without feedback, handling closes itself once every measure is settled: an edge with a guard and no event.
    assert.deepEqual(edge(lean, 'handling', 'closed'), [{ from: 'handling', to: 'closed', guard: 'settled', label: '[every measure settled]' }]);
  });

  it('names states in either language (a city step label first) and edges by event and guard', () => {
    const config = checked(raw('guangshui-frontline'));
    const zh = lifecycleGraph(config, 'zh-CN');
    const en = lifecycleGraph(config, 'en');
    assert.equal(zh.nodes.find((n) => n.id === 'meeting')?.label, config.step.meeting.label?.['zh-CN'] ?? '协商议事');
    assert.equal(zh.nodes.find((n) => n.id === 'closed')?.label, '已办结');
    assert.equal(en.nodes.find((n) => n.id === 'closed')?.label, 'Closed');
    const reopen = (g: LifecycleGraph) => edge(g, 'evaluation', 'handling')[0]!;
    assert.deepEqual({ ...reopen(en), label: undefined }, { from: 'evaluation', to: 'handling', event: 'evaluation.close', guard: 'belowThreshold', label: undefined });
    assert.equal(reopen(en).label, 'Close evaluation [rating below the threshold]');
    assert.equal(reopen(zh).label, '结束评价 [满意度低于阈值]');
    assert.deepEqual(lifecycleGraph(config), config.defaultLocale === 'en' ? en : zh, "default: the config's language");
  });
});

describe('lifecycleDiagram', () => {
  it('is still the diagram docs/machine.md shows for the Wuxi example', () => {
    const doc = readFileSync(new URL('../../../docs/machine.md', import.meta.url), 'utf8');
    const block = /```mermaid\n(stateDiagram-v2\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(block, 'docs/machine.md has the diagram');
    assert.equal(lifecycleDiagram(checked(raw('wuxi-community')), 'en'), block.replace(/\n+$/, '\n'));
  });

  it('draws every edge of the graph, each once, under its event name', () => {
    for (const name of NAMES) {
      const config = checked(raw(name));
      const graph = lifecycleGraph(config, 'zh-CN');
      const lines = lifecycleDiagram(config, 'zh-CN').split('\n').map((l) => l.trim());
      for (const e of graph.edges) {
        const text = e.event ? `${e.event}${e.guard ? ` [${e.guard}]` : ''}` : e.guard ? `[${e.guard}]` : '';
        const line = `${e.from} --> ${e.to}${text ? `: ${text}` : ''}`;
        assert.equal(lines.filter((l) => l === line).length, graph.edges.filter((x) => x.from === e.from && x.to === e.to && x.event === e.event && x.guard === e.guard).length, line);
      }
      const arrows = lines.filter((l) => / --> /.test(l) && !l.includes('[*]'));
      assert.equal(arrows.length, graph.edges.length, `${name}: no edge drawn that the graph lacks`);
      for (const n of graph.nodes) assert.ok(lines.includes(`state "${n.label.replace(/"/g, "'")}" as ${n.id}`), n.id);
    }
  });
});
