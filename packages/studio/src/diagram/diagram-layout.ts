/**
 * Lays out the machine's own lifecycle graph (`lifecycleGraph` of @consult-kit/machine) with
 * @dagrejs/dagre: states as boxes sized to their labels, compound states (the meeting, its
 * agenda) as clusters around their states, a start dot for each level, transitions as routed
 * polylines with their labels placed beside them.
 *
 * dagre was chosen for its size (49 KB minified, 17 KB gzipped, no dependencies) and because its
 * code has no `eval` or `new Function`, so it runs under the strict CSP; it is loaded only with
 * this pane (the shell imports the pane on demand).
 */
import dagre from '@dagrejs/dagre';
import type { LifecycleGraph, LifecycleNode } from '@consult-kit/machine';

export interface Point {
  x: number;
  y: number;
}

/** A state's box (top-left corner and size). */
export interface NodeBox {
  id: string;
  label: string;
  kind: LifecycleNode['kind'];
  parent?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Nesting depth (0 at the top level): clusters are drawn outside in. */
  depth: number;
}

export interface EdgePath {
  from: string;
  to: string;
  label: string;
  event?: string;
  points: Point[];
  /** Centre of the label. */
  labelAt?: Point;
  labelWidth: number;
}

/** A level's start: a dot and an arrow to its first state. */
export interface StartMark {
  parent?: string;
  to: string;
  at: Point;
  points: Point[];
}

export interface LifecycleLayout {
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgePath[];
  starts: StartMark[];
}

/** How wide a text is drawn (a canvas measures it; an estimate where none is available). */
export type Measure = (text: string) => number;

export const FONT = '14px system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
export const LABEL_FONT = '12px system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** A measure that uses a 2D canvas (allowed under a strict CSP), or counts characters. */
export function canvasMeasure(font: string): Measure {
  const size = Number(/(\d+)px/.exec(font)?.[1] ?? 14);
  let context: CanvasRenderingContext2D | null = null;
  try {
    context = document.createElement('canvas').getContext('2d');
    if (context) context.font = font;
  } catch {
    context = null;
  }
  return (text) => (context ? context.measureText(text).width : [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? size : size * 0.6), 0));
}

const NODE_HEIGHT = 36;
const CLUSTER_LABEL = 26;
const START = 12;

/** The state a transition to (or from) a compound state really reaches: its initial state, all the way down. */
function entered(graph: LifecycleGraph, id: string, kinds: Map<string, LifecycleNode['kind']>): string {
  let current = id;
  for (let hops = 0; kinds.get(current) === 'compound' && hops < 16; hops += 1) {
    const next = graph.initial.find((i) => i.parent === current)?.to;
    if (!next) break;
    current = next;
  }
  return current;
}

/** Positions of every state, transition and start of a lifecycle graph. */
export function layoutLifecycle(graph: LifecycleGraph, measure: Measure = canvasMeasure(FONT), measureLabel: Measure = canvasMeasure(LABEL_FONT)): LifecycleLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true, directed: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const depth = new Map<string, number>();
  for (const node of graph.nodes) depth.set(node.id, node.parent ? (depth.get(node.parent) ?? 0) + 1 : 0);

  for (const node of graph.nodes) {
    const width = Math.ceil(measure(node.label)) + (node.kind === 'final' ? 36 : 28);
    // A compound state's size comes from its states; its own label gets a row of its own inside.
    g.setNode(node.id, node.kind === 'compound' ? { label: node.label, paddingTop: CLUSTER_LABEL } : { label: node.label, width, height: NODE_HEIGHT });
  }
  for (const node of graph.nodes) if (node.parent) g.setParent(node.id, node.parent);
  for (const [i, start] of graph.initial.entries()) {
    const id = `__start_${i}`;
    g.setNode(id, { width: START, height: START });
    if (start.parent) g.setParent(id, start.parent);
    g.setEdge(id, entered(graph, start.to, kinds), { width: 0, height: 0, minlen: 1 }, id);
  }
  for (const [i, edge] of graph.edges.entries()) {
    // A transition back to the same state is drawn as a loop beside it, not routed by dagre.
    if (edge.from === edge.to) continue;
    const labelWidth = edge.label ? Math.ceil(measureLabel(edge.label)) + 8 : 0;
    g.setEdge(entered(graph, edge.from, kinds), entered(graph, edge.to, kinds), { width: labelWidth, height: edge.label ? 18 : 0, labelpos: 'c' }, `e${i}`);
  }

  dagre.layout(g);

  const nodes: NodeBox[] = graph.nodes.map((node) => {
    const n = g.node(node.id) as { x: number; y: number; width: number; height: number };
    const top = node.kind === 'compound' ? CLUSTER_LABEL : 0;
    return {
      id: node.id,
      label: node.label,
      kind: node.kind,
      ...(node.parent ? { parent: node.parent } : {}),
      x: n.x - n.width / 2,
      y: n.y - n.height / 2 - top,
      width: n.width,
      height: n.height + top,
      depth: depth.get(node.id) ?? 0,
    };
  });
  const boxes = new Map(nodes.map((n) => [n.id, n]));
  const edges: EdgePath[] = graph.edges.map((edge, i) => {
    const from = entered(graph, edge.from, kinds);
    const to = entered(graph, edge.to, kinds);
    const labelWidth = edge.label ? Math.ceil(measureLabel(edge.label)) + 8 : 0;
    const own = { from: edge.from, to: edge.to, label: edge.label, ...(edge.event ? { event: edge.event } : {}) };
    if (from === to) {
      // A loop on the right side of the box, its label beside it.
      const box = boxes.get(from)!;
      const right = box.x + box.width;
      const cy = box.y + box.height / 2;
      const points = [
        { x: right, y: cy - 8 },
        { x: right + 18, y: cy - 14 },
        { x: right + 24, y: cy },
        { x: right + 18, y: cy + 14 },
        { x: right + 2, y: cy + 8 },
      ];
      return { ...own, points, ...(edge.label ? { labelAt: { x: right + 30 + labelWidth / 2, y: cy } } : {}), labelWidth };
    }
    const e = g.edge({ v: from, w: to, name: `e${i}` }) as { points?: Point[]; x?: number; y?: number; width?: number };
    return {
      ...own,
      points: e.points ?? [],
      ...(edge.label && e.x !== undefined && e.y !== undefined ? { labelAt: { x: e.x, y: e.y } } : {}),
      labelWidth: e.width ?? labelWidth,
    };
  });
  const starts: StartMark[] = graph.initial.map((start, i) => {
    const id = `__start_${i}`;
    const n = g.node(id) as { x: number; y: number };
    const e = g.edge({ v: id, w: entered(graph, start.to, kinds), name: id }) as { points?: Point[] };
    return { ...(start.parent ? { parent: start.parent } : {}), to: start.to, at: { x: n.x, y: n.y }, points: e.points ?? [] };
  });
  // dagre's own size, widened to whatever is drawn outside it (a cluster's label row above it).
  const info = g.graph() as { width?: number; height?: number };
  let minY = 0;
  for (const n of nodes) minY = Math.min(minY, n.y - 4);
  const shift = -minY;
  if (shift > 0) {
    for (const n of nodes) n.y += shift;
    for (const e of edges) {
      for (const p of e.points) p.y += shift;
      if (e.labelAt) e.labelAt.y += shift;
    }
    for (const s of starts) {
      s.at.y += shift;
      for (const p of s.points) p.y += shift;
    }
  }
  let maxX = info.width ?? 0;
  for (const e of edges) if (e.labelAt) maxX = Math.max(maxX, e.labelAt.x + e.labelWidth / 2 + 8);
  return { width: Math.ceil(maxX), height: Math.ceil((info.height ?? 0) + shift), nodes, edges, starts };
}
