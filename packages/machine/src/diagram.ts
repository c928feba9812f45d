/**
 * The configured lifecycle as a graph (`lifecycleGraph`: states, transitions, initial states, for
 * an editor to lay out) and as a Mermaid `stateDiagram-v2` drawn from that graph
 * (`lifecycleDiagram`). Both are read from the topic machine's own definition (states,
 * transitions, guards), so neither can drift from the behaviour, nor from each other.
 */
import type { AnyStateNode } from 'xstate';
import type { EventType, Locale, WorkflowConfig } from './config/config.types.js';
import { topicMachineFor } from './log/replay.js';
import { EVENT_LABELS, GUARD_LABELS, stateLabel } from './labels.js';

/** A state of the lifecycle. */
export interface LifecycleNode {
  /** Unique in the graph: the state's path joined by `_` (`meeting_inSession_briefing`), as in the Mermaid output. */
  id: string;
  /** The state's own key (`briefing`). */
  key: string;
  /** Its name in the requested language (a city's step label first). */
  label: string;
  /** The id of the compound state it is inside; none at the top level. */
  parent?: string;
  /** `compound`: it has states of its own; `final`: a topic that reaches it is finished. */
  kind: 'state' | 'compound' | 'final';
}

/** A transition from one state to another (or to itself). */
export interface LifecycleEdge {
  from: string;
  to: string;
  /** The event that takes it (`screening.accept`); none for a transition taken as soon as its guard holds. */
  event?: string;
  /** The guard it also needs, by name (`belowThreshold`, `a ∧ b`), beyond the programme's own permission check. */
  guard?: string;
  /** What to write on it, in the requested language: the event's name, then the guard's in brackets (`Accept`, `Close evaluation [rating below the threshold]`). */
  label: string;
}

export interface LifecycleGraph {
  /** Every state, each before the states inside it, in the machine's order. */
  nodes: LifecycleNode[];
  edges: LifecycleEdge[];
  /** Where each level starts: the top level (no `parent`) and each compound state. */
  initial: Array<{ parent?: string; to: string }>;
}

const nodeId = (node: AnyStateNode) => node.path.join('_');
const quote = (text: string) => text.replace(/"/g, "'");

/** The guards a transition's guard is made of, by name, without the programme's own `allowed` check. */
function guardParts(guard: unknown): string[] {
  if (!guard) return [];
  if (typeof guard === 'string') return guard === 'allowed' ? [] : [guard];
  const g = guard as { type?: unknown; guards?: unknown[] };
  if (Array.isArray(g.guards)) return g.guards.flatMap(guardParts);
  return typeof g.type === 'string' ? guardParts(g.type) : [];
}

/**
 * The name a transition's guard is shown by (`minRatings`, `a ∧ b` for a combination), or
 * undefined for the programme's own `allowed` check and for no guard at all.
 */
export function guardName(guard: unknown): string | undefined {
  const names = guardParts(guard);
  return names.length ? names.join(' ∧ ') : undefined;
}

/**
 * The configured lifecycle as a graph of states and transitions, states named in `locale`
 * (default: the config's). Edges are listed as `lifecycleDiagram` draws them: for each compound
 * state, the transitions of the states inside it, innermost first.
 */
export function lifecycleGraph(config: WorkflowConfig, locale: Locale = config.defaultLocale): LifecycleGraph {
  const machine = topicMachineFor(config);
  const graph: LifecycleGraph = { nodes: [], edges: [], initial: [] };
  const guardLabel = (names: readonly string[]) => names.map((n) => GUARD_LABELS[n]?.[locale] ?? n).join(' ∧ ');
  const eventLabel = (event: string) => EVENT_LABELS[event as EventType]?.[locale] ?? event;

  const visit = (parent: AnyStateNode) => {
    const children = Object.values(parent.states) as AnyStateNode[];
    const parentId = parent === machine.root ? undefined : nodeId(parent);
    for (const node of children) {
      const compound = Object.keys(node.states).length > 0;
      graph.nodes.push({
        id: nodeId(node),
        key: node.key,
        label: stateLabel(config, node.key, locale),
        ...(parentId === undefined ? {} : { parent: parentId }),
        kind: node.type === 'final' ? 'final' : compound ? 'compound' : 'state',
      });
      if (compound) visit(node);
    }
    const first = parent.initial?.target[0];
    if (first) graph.initial.push({ ...(parentId === undefined ? {} : { parent: parentId }), to: nodeId(first) });
    for (const node of children) {
      for (const [event, transitions] of Object.entries(node.on)) {
        for (const t of transitions as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
          const parts = guardParts(t.guard);
          const guard = parts.length ? parts.join(' ∧ ') : undefined;
          const label = `${eventLabel(event)}${guard ? ` [${guardLabel(parts)}]` : ''}`;
          // No target: a self-update, not a change of state.
          for (const target of t.target ?? []) graph.edges.push({ from: nodeId(node), to: nodeId(target), event, ...(guard ? { guard } : {}), label });
        }
      }
      for (const t of (node.always ?? []) as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
        const parts = guardParts(t.guard);
        const guard = parts.length ? parts.join(' ∧ ') : undefined;
        const label = guard ? `[${guardLabel(parts)}]` : '';
        for (const target of t.target ?? []) graph.edges.push({ from: nodeId(node), to: nodeId(target), ...(guard ? { guard } : {}), label });
      }
    }
  };
  visit(machine.root);
  return graph;
}

/** Mermaid source of the configured lifecycle (its `lifecycleGraph`); state names in `locale` (default: the config's). */
export function lifecycleDiagram(config: WorkflowConfig, locale: Locale = config.defaultLocale): string {
  const graph = lifecycleGraph(config, locale);
  const parentOf = new Map(graph.nodes.map((n) => [n.id, n.parent]));
  const lines = ['stateDiagram-v2'];
  // Transitions that leave their composite state are drawn at the top level, where Mermaid takes them.
  const crossing: string[] = [];

  const draw = (parent: string | undefined, indent: string) => {
    const children = graph.nodes.filter((n) => n.parent === parent);
    for (const node of children) {
      lines.push(`${indent}state "${quote(node.label)}" as ${node.id}`);
      if (node.kind === 'compound') {
        lines.push(`${indent}state ${node.id} {`);
        draw(node.id, `${indent}  `);
        lines.push(`${indent}}`);
      }
    }
    const initial = graph.initial.find((i) => i.parent === parent);
    if (initial) lines.push(`${indent}[*] --> ${initial.to}`);
    for (const node of children) {
      for (const edge of graph.edges) {
        if (edge.from !== node.id) continue;
        // The event's own name, not its label: the source is for people who read the code, too.
        const text = edge.event ? `${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}` : edge.guard ? `[${edge.guard}]` : '';
        const line = `${edge.from} --> ${edge.to}${text ? `: ${text}` : ''}`;
        if (parentOf.get(edge.to) === parent) lines.push(`${indent}${line}`);
        else crossing.push(`  ${line}`);
      }
      if (node.kind === 'final') lines.push(`${indent}${node.id} --> [*]`);
    }
  };
  draw(undefined, '  ');
  return [...lines, ...crossing].join('\n') + '\n';
}
