/**
 * `<story-lifecycle-diagram>`: a config's lifecycle drawn as a statechart, read from the topic
 * machine's own definition (`topicMachineFor(config)`: its states, initial states, transitions and
 * guards — the same source as `consult-kit diagram`), so the drawing cannot drift from what the
 * machine does. An SVG built with Lit `svg` templates (no HTML strings, no diagram library), with
 * its text alternative beside it: the states as a nested list and the transitions as a table.
 *
 * Story-only: it lives in stories/ and is not part of @consult-kit/elements.
 */
import { LitElement, css, html, nothing, svg, type SVGTemplateResult } from 'lit';
import { EVENT_LABELS, guardName, stateLabel, topicMachineFor, type Locale, type WorkflowConfig } from '@consult-kit/machine';
import type { AnyStateNode } from 'xstate';

export interface DiagramState {
  id: string;
  label: string;
  final: boolean;
  initial: boolean;
  children: DiagramState[];
}

export interface DiagramTransition {
  from: string;
  to: string;
  /** The machine's event type (`screening.accept`), or '' for an automatic step. */
  event: string;
  guard?: string;
}

export interface Lifecycle {
  root: DiagramState[];
  transitions: DiagramTransition[];
}

const GUARD_LABELS: Record<string, Record<Locale, string>> = {
  noConsensusMoreRounds: { 'zh-CN': '未达成共识，再开一轮', en: 'no consensus, another round' },
  noConsensusLastRound: { 'zh-CN': '最后一轮仍未达成共识', en: 'no consensus in the last round' },
  belowThreshold: { 'zh-CN': '满意度低于重新办理线', en: 'rating below the reopen threshold' },
  settled: { 'zh-CN': '措施均已办结', en: 'all measures settled' },
};

const WORDS = {
  'zh-CN': {
    caption: '议题生命周期（由配置生成的状态图）',
    states: '状态',
    transitions: '转换',
    from: '从',
    event: '事件',
    condition: '条件',
    to: '到',
    automatic: '自动',
    start: '起点',
    final: '终点',
    desc: (s: number, t: number) => `共 ${s} 个状态、${t} 个转换；下方以列表和表格列出同样内容。`,
  },
  en: {
    caption: 'Topic lifecycle (statechart generated from the config)',
    states: 'States',
    transitions: 'Transitions',
    from: 'From',
    event: 'Event',
    condition: 'Condition',
    to: 'To',
    automatic: 'automatic',
    start: 'start',
    final: 'final',
    desc: (s: number, t: number) => `${s} states and ${t} transitions; the same is listed below as a list and a table.`,
  },
} as const;

/** The lifecycle of a config, read from the topic machine's definition. */
export function readLifecycle(config: WorkflowConfig, locale: Locale): Lifecycle {
  const machine = topicMachineFor(config);
  const transitions: DiagramTransition[] = [];
  const walk = (parent: AnyStateNode): DiagramState[] => {
    const initial = parent.initial?.target[0];
    return (Object.values(parent.states) as AnyStateNode[]).map((node) => {
      const id = node.path.join('.');
      for (const [event, list] of Object.entries(node.on)) {
        for (const t of list as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
          const guard = guardName(t.guard);
          for (const target of t.target ?? []) transitions.push({ from: id, to: target.path.join('.'), event, ...(guard ? { guard } : {}) });
        }
      }
      for (const t of (node.always ?? []) as Array<{ target?: AnyStateNode[]; guard?: unknown }>) {
        const guard = guardName(t.guard);
        for (const target of t.target ?? []) transitions.push({ from: id, to: target.path.join('.'), event: '', ...(guard ? { guard } : {}) });
      }
      return { id, label: stateLabel(config, node.key, locale), final: node.type === 'final', initial: node === initial, children: walk(node) };
    });
  };
  return { root: walk(machine.root), transitions };
}

// ── Layout: each compound state lays its children out in rows by distance from its initial child ──

const LEAF_W = 176;
const LEAF_H = 44;
const GAP_X = 28;
const GAP_Y = 44;
const PAD = 18;
const HEADER = 30;
const MARGIN = 24;
const RIGHT = 260; // room for the edges that go back up, on the right

interface Box {
  state: DiagramState;
  x: number;
  y: number;
  w: number;
  h: number;
  children: Box[];
}

/** The child of `states` that is `id` or contains it. */
function owner(states: DiagramState[], id: string): DiagramState | undefined {
  return states.find((s) => id === s.id || id.startsWith(`${s.id}.`));
}

function measure(state: DiagramState, transitions: DiagramTransition[]): Box {
  if (state.children.length === 0) return { state, x: 0, y: 0, w: LEAF_W, h: LEAF_H, children: [] };
  const { w, h, children } = arrange(state.children, transitions);
  return { state, x: 0, y: 0, w: w + 2 * PAD, h: h + HEADER + PAD, children: children.map((c) => offset(c, PAD, HEADER)) };
}

/** Places sibling states in rows (breadth-first from the initial one) and returns their boxes, relative to (0, 0). */
function arrange(states: DiagramState[], transitions: DiagramTransition[]): { w: number; h: number; children: Box[] } {
  const rank = new Map<string, number>();
  const start = states.find((s) => s.initial) ?? states[0]!;
  rank.set(start.id, 0);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of transitions) {
      const from = owner(states, t.from);
      const to = owner(states, t.to);
      if (from !== s || !to || rank.has(to.id)) continue;
      rank.set(to.id, rank.get(s.id)! + 1);
      queue.push(to);
    }
  }
  const last = Math.max(...rank.values());
  const rows: Box[][] = [];
  for (const s of states) {
    const r = rank.get(s.id) ?? last + 1;
    (rows[r] ??= []).push(measure(s, transitions));
  }
  const filled = rows.filter((r) => r && r.length);
  const widths = filled.map((r) => r.reduce((sum, b) => sum + b.w, 0) + GAP_X * (r.length - 1));
  const w = Math.max(...widths);
  let y = 0;
  const children: Box[] = [];
  filled.forEach((row, i) => {
    let x = (w - widths[i]!) / 2;
    const h = Math.max(...row.map((b) => b.h));
    for (const b of row) {
      children.push(offset(b, x, y));
      x += b.w + GAP_X;
    }
    y += h + GAP_Y;
  });
  return { w, h: y - GAP_Y, children };
}

function offset(box: Box, dx: number, dy: number): Box {
  return { ...box, x: box.x + dx, y: box.y + dy, children: box.children.map((c) => offset(c, dx, dy)) };
}

function flatten(boxes: Box[]): Box[] {
  return boxes.flatMap((b) => [b, ...flatten(b.children)]);
}

// ── The element ─────────────────────────────────────────────────────────────────────────────

let instances = 0;

export class StoryLifecycleDiagram extends LitElement {
  static override properties = {
    config: { attribute: false },
    locale: {},
  };

  static override styles = css`
    :host {
      display: block;
      font-family: var(--consult-font-family, system-ui, sans-serif);
      color: var(--consult-color-text, #1b1b1b);
      background: var(--consult-color-background, #fff);
    }
    figure {
      margin: 0;
    }
    figcaption {
      font-weight: 700;
      font-size: 1.125rem;
      margin-block-end: 0.5rem;
    }
    .scroll {
      overflow-x: auto;
    }
    svg {
      display: block;
      max-inline-size: none;
    }
    .state {
      fill: var(--consult-color-background, #fff);
      stroke: var(--consult-color-border, #6b7378);
      stroke-width: 1.5;
    }
    .compound {
      fill: transparent;
      stroke: var(--consult-color-primary, #a8071a);
      stroke-width: 1.5;
      stroke-dasharray: 6 4;
    }
    .final-ring {
      fill: none;
      stroke: var(--consult-color-border, #6b7378);
      stroke-width: 1.5;
    }
    .name {
      fill: currentColor;
      font-size: 13px;
    }
    .compound-name {
      fill: var(--consult-color-primary, #a8071a);
      font-size: 13px;
      font-weight: 700;
    }
    .edge {
      fill: none;
      stroke: var(--consult-color-muted, #505a5f);
      stroke-width: 1.25;
    }
    .arrow,
    .start {
      fill: var(--consult-color-muted, #505a5f);
    }
    .label {
      fill: currentColor;
      font-size: 11px;
      paint-order: stroke;
      stroke: var(--consult-color-background, #fff);
      stroke-width: 4px;
      stroke-linejoin: round;
    }
    table {
      border-collapse: collapse;
      margin-block: 0.5rem 1rem;
    }
    th,
    td {
      border: 1px solid var(--consult-color-border, #6b7378);
      padding: 0.25rem 0.5rem;
      text-align: start;
      vertical-align: top;
    }
    code {
      font-size: 0.875em;
    }
    @media (forced-colors: active) {
      .state,
      .final-ring,
      .edge,
      .compound {
        stroke: CanvasText;
      }
      .arrow,
      .start,
      .name,
      .compound-name,
      .label {
        fill: CanvasText;
      }
    }
  `;

  declare config: WorkflowConfig | undefined;
  declare locale: Locale;
  private readonly uid = `lifecycle-${(instances += 1)}`;

  constructor() {
    super();
    this.config = undefined;
    this.locale = 'zh-CN';
  }

  private eventText(event: string): string {
    if (!event) return WORDS[this.locale].automatic;
    const label = EVENT_LABELS[event as keyof typeof EVENT_LABELS];
    return label ? label[this.locale] : event;
  }

  private guardText(guard: string | undefined): string {
    if (!guard) return '';
    return guard
      .split(' ∧ ')
      .map((g) => GUARD_LABELS[g]?.[this.locale] ?? g)
      .join(' ∧ ');
  }

  private edgeLabel(t: DiagramTransition): string {
    const guard = this.guardText(t.guard);
    return `${this.eventText(t.event)}${guard ? ` [${guard}]` : ''}`;
  }

  private drawEdges(boxes: Map<string, Box>, transitions: DiagramTransition[], rightEdge: number): SVGTemplateResult[] {
    // One line per pair of states; the labels of parallel transitions are joined.
    const pairs = new Map<string, { from: Box; to: Box; labels: string[] }>();
    for (const t of transitions) {
      const from = boxes.get(t.from);
      const to = boxes.get(t.to);
      if (!from || !to) continue;
      const key = `${t.from}→${t.to}`;
      const pair = pairs.get(key) ?? { from, to, labels: [] };
      pair.labels.push(this.edgeLabel(t));
      pairs.set(key, pair);
    }
    let back = 0;
    return [...pairs.values()].map(({ from, to, labels }) => {
      const label = labels.join(' / ');
      let d: string;
      let lx: number;
      let ly: number;
      let anchor: 'start' | 'middle' = 'start';
      let end: [number, number, number]; // x, y, angle of the arrow head
      if (from === to) {
        const x = from.x + from.w;
        const y = from.y + from.h / 2;
        d = `M ${x} ${y - 10} C ${x + 46} ${y - 34}, ${x + 46} ${y + 34}, ${x + 2} ${y + 10}`;
        lx = x + 44;
        ly = y + 4;
        end = [x + 2, y + 10, 200];
      } else if (to.y >= from.y + from.h - 1) {
        const x1 = from.x + from.w / 2;
        const y1 = from.y + from.h;
        const x2 = to.x + to.w / 2;
        const y2 = to.y;
        const bend = Math.max(24, (y2 - y1) / 2);
        d = `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2 - 2}`;
        // The label two thirds of the way down, where edges leaving one state have spread apart.
        const t = x1 === x2 ? 0.5 : 0.68;
        const u = 1 - t;
        lx = u ** 3 * x1 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x2 + (x1 === x2 ? 6 : 0);
        ly = u ** 3 * y1 + 3 * u * u * t * (y1 + bend) + 3 * u * t * t * (y2 - bend) + t ** 3 * y2 + 4;
        anchor = x1 === x2 ? 'start' : 'middle';
        end = [x2, y2 - 2, 90];
      } else {
        // Back up (another round, reopened handling): out to the right, up, and into the target from above.
        back += 1;
        const x1 = from.x + from.w;
        const y1 = from.y + from.h / 2;
        const x2 = to.x + to.w * 0.75;
        const y2 = to.y;
        const out = rightEdge + 28 * back;
        const above = y2 - 14 - 6 * back;
        d = `M ${x1} ${y1} H ${out - 8} Q ${out} ${y1} ${out} ${y1 - 8} V ${above + 8} Q ${out} ${above} ${out - 8} ${above} H ${x2 + 8} Q ${x2} ${above} ${x2} ${above + 8} V ${y2 - 2}`;
        lx = out + 6;
        ly = (y1 + above) / 2;
        end = [x2, y2 - 2, 90];
      }
      const [ax, ay, angle] = end;
      return svg`<g>
        <path class="edge" d=${d}></path>
        <path class="arrow" d="M 0 0 L -9 -4.5 L -9 4.5 Z" transform="translate(${ax} ${ay}) rotate(${angle})"></path>
        <text class="label" x=${lx} y=${ly} text-anchor=${anchor}>${label}</text>
      </g>`;
    });
  }

  private drawState(box: Box): SVGTemplateResult {
    const { state, x, y, w, h } = box;
    const start = state.initial
      ? svg`<circle class="start" cx=${x - 16} cy=${y + 12} r="6"></circle>
          <path class="edge" d="M ${x - 10} ${y + 12} L ${x - 2} ${y + 12}"></path>`
      : nothing;
    if (box.children.length) {
      return svg`<g>
        ${start}
        <rect class="compound" x=${x} y=${y} width=${w} height=${h} rx="12"></rect>
        <text class="compound-name" x=${x + 12} y=${y + 20}>${state.label}</text>
        ${box.children.map((c) => this.drawState(c))}
      </g>`;
    }
    return svg`<g>
      ${start}
      <rect class="state" x=${x} y=${y} width=${w} height=${h} rx="8"></rect>
      ${state.final ? svg`<rect class="final-ring" x=${x + 4} y=${y + 4} width=${w - 8} height=${h - 8} rx="5"></rect>` : nothing}
      <text class="name" x=${x + w / 2} y=${y + h / 2 + 4.5} text-anchor="middle">${state.label}</text>
    </g>`;
  }

  private listStates(states: DiagramState[]): unknown {
    const words = WORDS[this.locale];
    return html`<ul>
      ${states.map(
        (s) => html`<li>
          ${s.label} <code>${s.id}</code>${s.initial ? ` (${words.start})` : ''}${s.final ? ` (${words.final})` : ''}
          ${s.children.length ? this.listStates(s.children) : nothing}
        </li>`,
      )}
    </ul>`;
  }

  protected override render() {
    if (!this.config) return nothing;
    const words = WORDS[this.locale];
    const lifecycle = readLifecycle(this.config, this.locale);
    const { w, h, children } = arrange(lifecycle.root, lifecycle.transitions);
    const placed = children.map((c) => offset(c, MARGIN + 24, MARGIN));
    const all = flatten(placed);
    const byId = new Map(all.map((b) => [b.state.id, b]));
    const label = (id: string) => byId.get(id)?.state.label ?? id;
    const width = w + 2 * MARGIN + 24 + RIGHT;
    const height = h + 2 * MARGIN;
    const rightEdge = MARGIN + 24 + w + 16;
    return html`<figure aria-labelledby="${this.uid}-caption">
      <figcaption id="${this.uid}-caption">${words.caption} · ${this.config.title[this.locale]}</figcaption>
      <div class="scroll" tabindex="0" role="region" aria-labelledby="${this.uid}-caption">
        <svg
          role="img"
          aria-labelledby="${this.uid}-title"
          aria-describedby="${this.uid}-desc"
          viewBox="0 0 ${width} ${height}"
          width=${width}
          height=${height}
        >
          <title id="${this.uid}-title">${words.caption}</title>
          <desc id="${this.uid}-desc">${words.desc(all.length, lifecycle.transitions.length)}</desc>
          ${placed.map((b) => this.drawState(b))} ${this.drawEdges(byId, lifecycle.transitions, rightEdge)}
        </svg>
      </div>
      <h3>${words.states}</h3>
      ${this.listStates(lifecycle.root)}
      <h3>${words.transitions}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">${words.from}</th>
            <th scope="col">${words.event}</th>
            <th scope="col">${words.condition}</th>
            <th scope="col">${words.to}</th>
          </tr>
        </thead>
        <tbody>
          ${lifecycle.transitions.map(
            (t) => html`<tr>
              <td>${label(t.from)}</td>
              <td>${this.eventText(t.event)}${t.event ? html` <code>${t.event}</code>` : nothing}</td>
              <td>${this.guardText(t.guard)}</td>
              <td>${label(t.to)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </figure>`;
  }
}

if (!customElements.get('story-lifecycle-diagram')) customElements.define('story-lifecycle-diagram', StoryLifecycleDiagram);

declare global {
  interface HTMLElementTagNameMap {
    'story-lifecycle-diagram': StoryLifecycleDiagram;
  }
}
