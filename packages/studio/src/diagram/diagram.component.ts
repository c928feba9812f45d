import { css, html, nothing, svg, type PropertyValues, type SVGTemplateResult, type TemplateResult } from 'lit';
import { lifecycleGraph, type LifecycleGraph, type LifecycleNode, type WorkflowConfig } from '@consult-kit/machine';
import type { StudioLocale } from '../i18n.js';
import { StudioElement } from '../studio-element.js';
import { sidePaneStyles, studioStyles } from '../styles.js';
import { layoutLifecycle, type LifecycleLayout, type Point } from './diagram-layout.js';
import { diagramMessages } from './diagram.messages.js';

type DiagramKey = keyof (typeof diagramMessages)['en'];

const ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];

const path = (points: readonly Point[]) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');

/**
 * @summary The studio's lifecycle diagram: the configured lifecycle as a statechart, from the
 * machine's own graph (`lifecycleGraph`), laid out with dagre and drawn as SVG (Lit `svg`
 * templates): states as rounded boxes with their names in the pane's language, final states
 * double-bordered, compound states (the meeting and its agenda) as boxes around their states, a
 * start dot for each level, transitions as arrows labelled with the event's readable name. States
 * whose name or presence the last change touched are drawn with a heavy border.
 *
 * It redraws on every change from the last config without problems (`doc.lastGoodConfig`), and
 * says so while the current one has problems. Accessible: the drawing is an image with a title
 * and a description, and a button shows the same content as text (the states as a list, the
 * transitions as a table). Zoom in and out, or fit to the pane's width; scroll to pan.
 *
 * @tag consult-studio-diagram
 *
 * @attr lang - Language of the pane and the diagram: `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 *
 * @csspart base - The pane's wrapper.
 * @csspart toolbar - The zoom, fit and text-version buttons.
 * @csspart note - The note shown while the diagram is of the last config without problems.
 * @csspart viewport - The scrolling box around the drawing.
 * @csspart diagram - The SVG drawing.
 * @csspart text - The text version (states and transitions).
 */
export class ConsultStudioDiagram extends StudioElement {
  static override styles = [
    studioStyles,
    sidePaneStyles,
    css`
      :host {
        display: block;
        min-width: 0;
        --diagram-line: #505050;
        --diagram-touched: #0b5cad;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .note {
        padding: 0.5rem 0.75rem;
        border-left: 6px solid var(--studio-error);
        background: var(--studio-panel);
      }
      .viewport {
        overflow: auto;
        max-width: 100%;
        max-height: 70vh;
        /* The width to fit stays the same whether a scroll bar shows or not. */
        scrollbar-gutter: stable;
        border: 2px solid var(--studio-line);
        border-radius: 4px;
        background: var(--studio-bg);
      }
      svg {
        display: block;
      }
      .state rect,
      .final rect {
        fill: var(--studio-bg);
        stroke: var(--studio-text);
        stroke-width: 1.5;
      }
      .final .inner {
        stroke-width: 1.5;
      }
      .compound > rect {
        fill: var(--studio-panel);
        stroke: var(--studio-line);
        stroke-width: 1.5;
      }
      .touched > rect {
        stroke: var(--diagram-touched);
        stroke-width: 4;
      }
      text {
        fill: var(--studio-text);
        font: 14px system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;
      }
      .compound > text {
        font-weight: 600;
      }
      .edge {
        fill: none;
        stroke: var(--diagram-line);
        stroke-width: 1.5;
      }
      .arrow-head,
      .start-dot {
        fill: var(--diagram-line);
        stroke: none;
      }
      .edge-label rect {
        fill: var(--studio-bg);
        opacity: 0.9;
      }
      .edge-label text {
        font-size: 12px;
        fill: var(--studio-muted);
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      caption {
        text-align: start;
        font-weight: 600;
        padding-block: 0.5rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.25rem 0.5rem;
        border-bottom: 1px solid var(--studio-line);
        vertical-align: top;
      }
      ul {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
      @media (forced-colors: active) {
        .state rect,
        .final rect,
        .compound > rect,
        .edge-label rect {
          fill: Canvas;
          stroke: CanvasText;
        }
        .touched > rect {
          stroke: Highlight;
        }
        text,
        .edge-label text {
          fill: CanvasText;
        }
        .edge {
          stroke: CanvasText;
        }
        .arrow-head,
        .start-dot {
          fill: CanvasText;
        }
        .note {
          border-left-color: CanvasText;
        }
      }
    `,
  ];

  static override properties = {
    ...StudioElement.properties,
    zoom: { attribute: false },
    showText: { attribute: false },
  };

  /** The scale of the drawing, or `fit` to the pane's width (never above 100 %). */
  declare zoom: number | 'fit';
  /** Whether the text version is shown. */
  declare showText: boolean;

  #graph: LifecycleGraph | undefined;
  #layout: LifecycleLayout | undefined;
  #drawnFrom: { config: WorkflowConfig | undefined; locale: StudioLocale } | undefined;
  #touched = new Set<string>();
  #viewportWidth = 0;
  #resize: ResizeObserver | undefined;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  constructor() {
    super();
    this.zoom = 'fit';
    this.showText = false;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#resize = undefined;
  }

  /** The graph drawn now (the machine's, of the config shown). */
  get graph(): LifecycleGraph | undefined {
    return this.#graph;
  }

  /** The ids of the states the last change added or renamed. */
  get touched(): ReadonlySet<string> {
    return this.#touched;
  }

  /** The scale the drawing is shown at now. */
  get scale(): number {
    if (this.zoom !== 'fit') return this.zoom;
    const width = this.#layout?.width ?? 0;
    if (!width || !this.#viewportWidth) return 1;
    return Math.min(1, (this.#viewportWidth - 4) / width);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Before the viewport exists, the pane's own width (the viewport fills it, less its borders).
    if (!this.#viewportWidth) this.#viewportWidth = this.clientWidth;
    const config = this.doc?.lastGoodConfig;
    const locale = this.locale;
    if (this.#drawnFrom && this.#drawnFrom.config === config && this.#drawnFrom.locale === locale) return;
    const before = this.#drawnFrom?.locale === locale ? this.#graph : undefined;
    this.#drawnFrom = { config, locale };
    try {
      const graph = config ? lifecycleGraph(config, locale) : undefined;
      // Most edits (a field's label, a hint) leave the lifecycle as it was: the same graph keeps
      // its layout, so dagre runs only when a state, a transition or a label changed.
      const same = !!before && !!graph && JSON.stringify(before) === JSON.stringify(graph);
      this.#graph = graph;
      if (!same) this.#layout = graph ? layoutLifecycle(graph) : undefined;
    } catch (error) {
      // Nothing escapes into the host page: the pane says it cannot draw, the text version stays empty.
      console.error(error);
      this.#graph = undefined;
      this.#layout = undefined;
    }
    this.#touched = new Set();
    if (before && this.#graph) {
      const old = new Map(before.nodes.map((n) => [n.id, n.label]));
      for (const n of this.#graph.nodes) if (old.get(n.id) !== n.label) this.#touched.add(n.id);
    }
  }

  protected override updated(): void {
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (viewport && !this.#resize) {
      // Outside the observer's callback (a redraw inside it would be a resize loop).
      this.#resize = new ResizeObserver(() =>
        requestAnimationFrame(() => {
          const width = viewport.clientWidth;
          if (width !== this.#viewportWidth) {
            this.#viewportWidth = width;
            if (this.zoom === 'fit') this.requestUpdate();
          }
        }),
      );
      this.#resize.observe(viewport);
    }
  }

  #m(key: DiagramKey, params?: Record<string, string | number>): string {
    return this.msg(diagramMessages, key, params);
  }

  #zoomBy(step: number): void {
    const current = this.scale;
    const next = step > 0 ? ZOOMS.find((z) => z > current + 0.001) : [...ZOOMS].reverse().find((z) => z < current - 0.001);
    this.zoom = next ?? current;
  }

  override render(): TemplateResult {
    const layout = this.#layout;
    const graph = this.#graph;
    const errors = this.doc?.errors.length ?? 0;
    const scale = this.scale;
    return html`<section class="pane" part="base" aria-labelledby="diagram-heading">
      <h2 id="diagram-heading">${this.#m('title')}</h2>
      <div class="toolbar" part="toolbar" role="toolbar" aria-label=${this.#m('toolbar')}>
        <button type="button" @click=${() => this.#zoomBy(-1)} ?disabled=${!layout || scale <= ZOOMS[0]!}>${this.#m('zoomOut')}</button>
        <button type="button" @click=${() => this.#zoomBy(1)} ?disabled=${!layout || scale >= ZOOMS.at(-1)!}>${this.#m('zoomIn')}</button>
        <button type="button" aria-pressed=${this.zoom === 'fit' ? 'true' : 'false'} @click=${() => (this.zoom = 'fit')} ?disabled=${!layout}>${this.#m('fit')}</button>
        <span class="muted zoom-level">${this.#m('zoom', { percent: Math.round(scale * 100) })}</span>
        <button type="button" aria-expanded=${this.showText ? 'true' : 'false'} aria-controls="diagram-text" @click=${() => (this.showText = !this.showText)}>
          ${this.#m(this.showText ? 'hideText' : 'showText')}
        </button>
      </div>
      ${errors > 0 && layout ? html`<p class="note" part="note">${this.#m('lastGood', { count: errors })}</p>` : nothing}
      ${!layout || !graph
        ? html`<p class="note" part="note">${this.#m('noConfig')}</p>`
        : html`<div class="viewport" part="viewport" tabindex="0" role="region" aria-label=${this.#m('viewport')}>${this.#drawing(graph, layout, scale)}</div>`}
      <div id="diagram-text" part="text" ?hidden=${!this.showText}>${this.showText && graph ? this.#textVersion(graph) : nothing}</div>
    </section>`;
  }

  #drawing(graph: LifecycleGraph, layout: LifecycleLayout, scale: number): TemplateResult {
    const clusters = layout.nodes.filter((n) => n.kind === 'compound').sort((a, b) => a.depth - b.depth);
    const states = layout.nodes.filter((n) => n.kind !== 'compound');
    const touched = this.#touched;
    return html`<svg
      part="diagram"
      role="img"
      aria-labelledby="diagram-svg-title diagram-svg-desc"
      width=${Math.max(1, Math.round(layout.width * scale))}
      height=${Math.max(1, Math.round(layout.height * scale))}
      viewBox="0 0 ${layout.width} ${layout.height}"
    >
      <title id="diagram-svg-title">${this.#m('title')}</title>
      <desc id="diagram-svg-desc">${this.#m('description', { states: graph.nodes.length, transitions: graph.edges.length })}</desc>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path class="arrow-head" d="M0 0 L10 5 L0 10 z"></path>
        </marker>
      </defs>
      ${clusters.map(
        (n) => svg`<g class=${touched.has(n.id) ? 'compound touched' : 'compound'} data-state=${n.id}>
          <rect x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx="10"></rect>
          <text x=${n.x + 10} y=${n.y + 18}>${n.label}</text>
        </g>`,
      )}
      ${layout.edges.map(
        (e) => svg`<path class="edge" d=${path(e.points)} marker-end="url(#arrow)" data-from=${e.from} data-to=${e.to}></path>`,
      )}
      ${layout.starts.map(
        (s) => svg`<g class="start">
          <circle class="start-dot" cx=${s.at.x} cy=${s.at.y} r="6"></circle>
          <path class="edge" d=${path(s.points)} marker-end="url(#arrow)"></path>
        </g>`,
      )}
      ${states.map((n) => this.#state(n.id, n.label, n.kind, n.x, n.y, n.width, n.height, touched.has(n.id)))}
      ${layout.edges.map((e) =>
        e.labelAt && e.label
          ? svg`<g class="edge-label">
              <rect x=${e.labelAt.x - e.labelWidth / 2} y=${e.labelAt.y - 9} width=${e.labelWidth} height="18" rx="3"></rect>
              <text x=${e.labelAt.x} y=${e.labelAt.y + 4} text-anchor="middle">${e.label}</text>
            </g>`
          : nothing,
      )}
    </svg>`;
  }

  #state(id: string, label: string, kind: LifecycleNode['kind'], x: number, y: number, width: number, height: number, touched: boolean): SVGTemplateResult {
    const cls = `${kind === 'final' ? 'final' : 'state'}${touched ? ' touched' : ''}`;
    return svg`<g class=${cls} data-state=${id}>
      <rect x=${x} y=${y} width=${width} height=${height} rx="8"></rect>
      ${kind === 'final' ? svg`<rect class="inner" x=${x + 4} y=${y + 4} width=${width - 8} height=${height - 8} rx="5"></rect>` : nothing}
      <text x=${x + width / 2} y=${y + height / 2 + 5} text-anchor="middle">${label}</text>
    </g>`;
  }

  #textVersion(graph: LifecycleGraph): TemplateResult {
    const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
    const children = (parent: string | undefined) => graph.nodes.filter((n) => n.parent === parent);
    const start = (parent: string | undefined) => graph.initial.find((i) => i.parent === parent)?.to;
    const list = (parent: string | undefined): TemplateResult => {
      const first = start(parent);
      return html`<ul>
        ${first ? html`<li class="muted">${this.#m('start', { state: label.get(first) ?? first })}</li>` : nothing}
        ${children(parent).map(
          (n) => html`<li data-state=${n.id}>
            ${n.label}${n.kind === 'final' ? this.#m('final') : ''}${this.#touched.has(n.id) ? this.#m('changed') : ''}
            ${n.kind === 'compound' ? list(n.id) : nothing}
          </li>`,
        )}
      </ul>`;
    };
    return html`<h3>${this.#m('states')}</h3>
      ${list(undefined)}
      <table>
        <caption>
          ${this.#m('transitions')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${this.#m('from')}</th>
            <th scope="col">${this.#m('event')}</th>
            <th scope="col">${this.#m('to')}</th>
          </tr>
        </thead>
        <tbody>
          ${graph.edges.map(
            (e) => html`<tr>
              <td>${label.get(e.from) ?? e.from}</td>
              <td>${e.event ? e.label : e.label ? `${this.#m('automatic')} ${e.label}` : this.#m('automatic')}</td>
              <td>${label.get(e.to) ?? e.to}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}
