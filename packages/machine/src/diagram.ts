/**
 * Draws a config's lifecycle as a Mermaid `stateDiagram-v2`, read from the topic machine's own
 * definition (states, transitions, guards), so the drawing cannot drift from the behaviour.
 */
import type { AnyStateNode } from 'xstate';
import type { Locale, WorkflowConfig } from './config/config.types.js';
import { topicMachineFor } from './log/replay.js';
import { stateLabel } from './labels.js';

const mermaidId = (node: AnyStateNode) => node.path.join('_');
const quote = (text: string) => text.replace(/"/g, "'");

/**
 * The name a transition's guard is shown by (`minRatings`, `a ∧ b` for a combination), or
 * undefined for the programme's own `allowed` check and for no guard at all.
 */
export function guardName(guard: unknown): string | undefined {
  if (!guard) return undefined;
  if (typeof guard === 'string') return guard === 'allowed' ? undefined : guard;
  const g = guard as { type?: unknown; guards?: unknown[] };
  if (Array.isArray(g.guards)) {
    const names = g.guards.map(guardName).filter((n): n is string => Boolean(n));
    return names.length ? names.join(' ∧ ') : undefined;
  }
  return typeof g.type === 'string' ? guardName(g.type) : undefined;
}

/** Mermaid source of the configured lifecycle; state names in `locale` (default: the config's). */
export function lifecycleDiagram(config: WorkflowConfig, locale: Locale = config.defaultLocale): string {
  const machine = topicMachineFor(config);
  const lines = ['stateDiagram-v2'];
  // Transitions that leave their composite state are drawn at the top level, where Mermaid takes them.
  const crossing: string[] = [];
  const edge = (indent: string, from: AnyStateNode, to: AnyStateNode, label: string) => {
    const line = `${mermaidId(from)} --> ${mermaidId(to)}${label ? `: ${label}` : ''}`;
    if (to.parent === from.parent) lines.push(`${indent}${line}`);
    else crossing.push(`  ${line}`);
  };

  const draw = (parent: AnyStateNode, indent: string) => {
    const children = Object.values(parent.states) as AnyStateNode[];
    for (const node of children) {
      const id = mermaidId(node);
      lines.push(`${indent}state "${quote(stateLabel(config, node.key, locale))}" as ${id}`);
      if (Object.keys(node.states).length > 0) {
        lines.push(`${indent}state ${id} {`);
        draw(node, `${indent}  `);
        lines.push(`${indent}}`);
      }
    }
    if (parent.initial?.target[0]) lines.push(`${indent}[*] --> ${mermaidId(parent.initial.target[0])}`);
    for (const node of children) {
      const id = mermaidId(node);
      for (const [event, transitions] of Object.entries(node.on)) {
        for (const t of transitions as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
          const targets = t.target ?? [];
          if (targets.length === 0) continue; // a self-update, not a change of state
          const guard = guardName(t.guard);
          for (const target of targets) edge(indent, node, target, `${event}${guard ? ` [${guard}]` : ''}`);
        }
      }
      for (const t of (node.always ?? []) as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
        const guard = guardName(t.guard);
        for (const target of t.target ?? []) edge(indent, node, target, guard ? `[${guard}]` : '');
      }
      if (node.type === 'final') lines.push(`${indent}${id} --> [*]`);
    }
  };
  draw(machine.root, '  ');
  return [...lines, ...crossing].join('\n') + '\n';
}
