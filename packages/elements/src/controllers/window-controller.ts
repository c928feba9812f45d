/**
 * Renders only the part of a long list that is on screen (windowing), for the outcome tracker,
 * the meeting timeline's records and the convener's topic list, and keeps the keyboard and a
 * screen reader oriented while the window moves.
 *
 * ## Why our own controller, not `@lit-labs/virtualizer`
 *
 * Both work under our strict CSP: the virtualizer, like this controller, sets styles through the
 * CSSOM (`element.style.…` from code, which `style-src` without `'unsafe-inline'` allows), never
 * through a `style` attribute. What decided it (checked against @lit-labs/virtualizer 2.1.1):
 *
 * - **Focus.** The virtualizer recycles the element that has focus when it scrolls out of view,
 *   so focus falls to `<body>` (lit/lit#4945, open). Here the focused item stays rendered while it
 *   is near the window, and when it must go, focus moves to the list first, never to the page.
 * - **Errors reach the host page.** It measures children in a `ResizeObserver` callback; its own
 *   README tells apps to swallow "ResizeObserver loop" errors in `window.onerror`. Our rule is that
 *   nothing escapes into the host page: here a `ResizeObserver` only schedules an animation frame,
 *   and all measuring happens in that frame.
 * - **List semantics.** It adds a sizer `<div>` inside the list and positions every item
 *   absolutely (`contain: size layout` on the container): a `<ul>`/`<ol>` would then hold a
 *   `<div>` (axe `list`), and items could not keep the document's flow and the list's own gaps.
 *   Here the items stay in flow; the space of the items not rendered is the height of the list's
 *   `::before` and `::after`, sized by two custom properties set with `style.setProperty`.
 * - **Size.** Its flow layout is about 80 KB of source before minifying; this file is a few KB.
 *
 * ## How a host uses it
 *
 * ```ts
 * private readonly rows = new WindowController(this, { list: () => this.renderRoot.querySelector('#list') });
 * render() {
 *   const { start, end, windowed } = this.rows.range(items, (item) => item.id);
 *   return html`<ol id="list" ?data-window=${windowed} @keydown=${this.rows.onKeydown} @scroll=${this.rows.onScroll}>
 *     ${repeat(items.slice(start, end), (item) => item.id, (item, i) =>
 *       html`<li aria-posinset=${start + i + 1} aria-setsize=${items.length} tabindex="-1">…</li>`)}
 *   </ol>`;
 * }
 * ```
 *
 * Every item is a direct child of the list with `aria-posinset` (its place, 1-based) and
 * `aria-setsize` (how many there are): that is how a screen reader knows where it is in a list
 * that holds only a window of it, and how this controller finds and measures the items. Up to
 * `plainMax` items are rendered all at once (`windowed` false, no `data-window`).
 *
 * Keyboard (`onKeydown` on the list): ↓/↑ move focus to the next / previous item, Page Down /
 * Page Up by a screenful, Home / End to the first / last item, bringing it into the window first
 * when it is not rendered; Tab moves through the items' own links and buttons as usual (the window
 * keeps rows rendered beyond each edge of the viewport, so the next one is always there).
 *
 * Heights are measured in an animation frame after a render, never inside a `ResizeObserver`
 * callback, and remembered by item key (an estimate, then the average of those measured, stands
 * in for the rest); the list's row gap counts in each item's height.
 */
import { css, type CSSResult, type ReactiveController, type ReactiveElement } from 'lit';

export interface WindowOptions {
  /** The scrolling list in the host's render root (the element given `data-window` when windowed). */
  list: () => HTMLElement | null | undefined;
  /** Up to this many items are rendered all at once (a short list is as tall as its items). Default 20. */
  plainMax?: number;
  /** Items rendered before the list has been measured. Default 24. */
  first?: number;
  /** The height assumed for an item until one is measured, in px. Default 150. */
  estimate?: number;
  /** Pixels of items kept rendered beyond each edge of the viewport. Default 400. */
  overscan?: number;
  /** Never more items at once than this, whatever the measurements say. Default 120. */
  max?: number;
  /** What takes focus for an item (default the item itself, which then needs `tabindex="-1"`). */
  focusTarget?: (item: HTMLElement) => HTMLElement | null;
  /** More styles for the list, adopted into the host's shadow root with `windowStyles` (for a list rendered by a helper module). */
  styles?: readonly CSSResult[];
}

/** The part of the list to render this time: items `start ≤ i < end` of `size`. */
export interface WindowRange {
  start: number;
  end: number;
  size: number;
  /** Whether the list is windowed (more than `plainMax` items): give it `data-window` then. */
  windowed: boolean;
}

/**
 * The styles a windowed list needs, adopted into the host's shadow root by the controller (so a
 * host need not list them): it scrolls in a fixed height (`--list-block-size` unless the host
 * sets its own), scroll anchoring is off (the controller places the rows), and the space of the
 * items not rendered is the height of `::before` and `::after`.
 */
export const windowStyles = css`
  :where([data-window]) {
    block-size: var(--list-block-size, min(70vh, 36em));
  }
  [data-window] {
    overflow: auto;
    overflow-anchor: none;
    overscroll-behavior: contain;
  }
  [data-window]::before,
  [data-window]::after {
    content: '';
    display: block;
    flex: none;
  }
  [data-window]::before {
    block-size: var(--_window-before, 0px);
  }
  [data-window]::after {
    block-size: var(--_window-after, 0px);
  }
  /* An item focused by the arrow keys: the ring inside the scrolling box, so it is never clipped. */
  [data-window] > [aria-posinset]:focus-visible {
    outline-offset: -3px;
  }
`;

const KEYS = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']);

export class WindowController implements ReactiveController {
  /** The first item rendered. */
  private start = 0;
  /** One past the last item rendered. */
  private end: number;
  private items: readonly unknown[] = [];
  /** What `items` were, to tell other items from the same ones rebuilt. */
  private signature = '';
  private keyOf: (item: never, index: number) => string = (_item, i) => String(i);
  private readonly heights = new Map<string, number>();
  /** The sum of `heights` (their average is the estimate for items not measured). */
  private measuredTotal = 0;
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A list not measured yet: its first pass waits until the frame that shows it is painted. */
  private fresh = false;
  /** Window moves since the last scroll or new items; a few passes settle the estimates. */
  private settling = 0;
  private observed: HTMLElement | undefined;
  private observer: ResizeObserver | undefined;
  private readonly plainMax: number;
  private readonly first: number;
  private readonly estimate: number;
  private readonly overscan: number;
  private readonly max: number;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: WindowOptions,
  ) {
    this.plainMax = options.plainMax ?? 20;
    this.first = options.first ?? 24;
    this.estimate = options.estimate ?? 150;
    this.overscan = options.overscan ?? 400;
    this.max = options.max ?? 120;
    this.end = this.first;
    host.addController(this);
  }

  /**
   * Call in `render()`: which items to render. `key` names an item for as long as it lives (its
   * measured height is kept under it). Other items (another length, first or last key) settle the
   * window again; the same items in a new array (a host that rebuilds them each render) do not.
   */
  range<T>(items: readonly T[], key: (item: T, index: number) => string): WindowRange {
    const size = items.length;
    const signature = size === 0 ? '' : `${size}\u0000${key(items[0]!, 0)}\u0000${key(items[size - 1]!, size - 1)}`;
    if (signature !== this.signature) this.settling = 0;
    this.signature = signature;
    this.items = items;
    this.keyOf = key as (item: never, index: number) => string;
    if (size <= this.plainMax) return { start: 0, end: size, size, windowed: false };
    const start = Math.min(this.start, Math.max(0, size - 1));
    const end = Math.min(Math.max(this.end, start + 1), size);
    return { start, end, size, windowed: true };
  }

  /** Back to the top (after a new filter or sort): the list scrolled to 0, the first items rendered. */
  reset(): void {
    const list = this.options.list();
    if (list) list.scrollTop = 0;
    this.settling = 0;
    if (this.start !== 0 || this.end !== this.first) {
      this.start = 0;
      this.end = this.first;
      this.host.requestUpdate();
    }
  }

  hostConnected(): void {
    const root = this.host.renderRoot;
    if (!(root instanceof ShadowRoot)) return;
    // Constructed style sheets, as Lit adopts a component's own `styles` (allowed by a strict CSP).
    const sheets = [windowStyles, ...(this.options.styles ?? [])].map((s) => s.styleSheet).filter((s): s is CSSStyleSheet => s !== undefined);
    const missing = sheets.filter((s) => !root.adoptedStyleSheets.includes(s));
    if (missing.length > 0) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...missing];
  }

  hostUpdated(): void {
    const list = this.windowedList();
    this.observe(list);
    if (list) this.schedule();
  }

  hostDisconnected(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.observer?.disconnect();
    this.observer = undefined;
    this.observed = undefined;
  }

  /** For the list's `@scroll`: the window follows the scroll position in the next frame. */
  readonly onScroll = (): void => {
    this.settling = 0;
    this.schedule();
  };

  /** For the list's `@keydown`: arrow keys, Page Up / Down, Home and End move focus from item to item. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (!KEYS.has(event.key) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const list = event.currentTarget as HTMLElement;
    if (!list.hasAttribute('data-window')) return;
    const target = event.composedPath()[0];
    // Only from the list, an item or an item's own link or button: a control inside an item, or
    // an element with a shadow root of its own (a star rating), keeps its arrow keys.
    if (!(target instanceof HTMLElement) || !list.contains(target)) return;
    if (target !== list && target.matches('input, select, textarea, [contenteditable]:not([contenteditable="false"])')) return;
    const size = this.items.length;
    const here = target === list ? undefined : this.indexOf(list, target);
    const from = here ?? this.firstInView(list);
    const page = Math.max(1, Math.floor(list.clientHeight / this.average()) - 1);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? size - 1
          : here === undefined && (event.key === 'ArrowDown' || event.key === 'ArrowUp')
            ? from
            : from + (event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'PageDown' ? page : -page);
    event.preventDefault();
    void this.focusIndex(next);
  };

  /**
   * Moves focus to item `index` (clamped), rendering it first when it is outside the window; the
   * browser then scrolls it into view and the window follows.
   */
  async focusIndex(index: number): Promise<void> {
    const list = this.windowedList() ?? this.options.list();
    const size = this.items.length;
    if (!list || size === 0) return;
    const i = Math.max(0, Math.min(size - 1, index));
    if (!this.itemAt(list, i)) {
      const around = Math.ceil((list.clientHeight + this.overscan) / this.average());
      const start = Math.max(0, i - around);
      const end = Math.min(size, i + around + 1, start + this.max);
      this.place(list, start, end, true);
      await this.host.updateComplete;
    }
    const item = this.itemAt(list, i);
    if (!item) return;
    (this.options.focusTarget?.(item) ?? item).focus();
  }

  // ── Measuring and placing ───────────────────────────────────────────────────────────────

  private windowedList(): HTMLElement | undefined {
    const list = this.options.list();
    return list && list.hasAttribute('data-window') ? list : undefined;
  }

  /** A resize of the list (a `<details>` opened, larger text, a rotated phone) moves the window too. */
  private observe(list: HTMLElement | undefined): void {
    if (list === this.observed) return;
    this.observer?.disconnect();
    this.observed = list;
    this.fresh = list !== undefined;
    if (!list || typeof ResizeObserver === 'undefined') return;
    // The callback only asks for a frame: nothing is measured or changed inside it.
    this.observer ??= new ResizeObserver(() => this.schedule());
    this.observer.observe(list);
  }

  /**
   * Measures the rendered items and moves the window in the next frame (at most one pending). A
   * list just rendered is measured once the frame that shows it is painted: measuring in that
   * frame would force a layout of the whole element before the browser's own, so the first paint
   * would lay it out twice.
   */
  private schedule(): void {
    if (this.frame !== undefined || this.timer !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (this.fresh) {
        this.fresh = false;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.move();
        }, 0);
        return;
      }
      this.move();
    });
  }

  private average(): number {
    return this.heights.size > 0 ? this.measuredTotal / this.heights.size : this.estimate;
  }

  private height(i: number, average: number): number {
    return this.heights.get(this.keyOf(this.items[i] as never, i)) ?? average;
  }

  /** The rendered items, each with its index (from `aria-posinset`). */
  private rendered(list: HTMLElement): Array<{ el: HTMLElement; index: number }> {
    const out: Array<{ el: HTMLElement; index: number }> = [];
    for (const el of list.querySelectorAll<HTMLElement>(':scope > [aria-posinset]')) {
      const index = Number(el.getAttribute('aria-posinset')) - 1;
      if (Number.isInteger(index) && index >= 0 && index < this.items.length) out.push({ el, index });
    }
    return out;
  }

  private itemAt(list: HTMLElement, index: number): HTMLElement | undefined {
    return list.querySelector<HTMLElement>(`:scope > [aria-posinset="${index + 1}"]`) ?? undefined;
  }

  /** The index of the item that holds `node` (a direct child of the list), if any. */
  private indexOf(list: HTMLElement, node: Element): number | undefined {
    let el: Element | null = node;
    while (el && el.parentElement !== list) el = el.parentElement;
    if (!el || !el.hasAttribute('aria-posinset')) return undefined;
    const index = Number(el.getAttribute('aria-posinset')) - 1;
    return Number.isInteger(index) && index >= 0 ? index : undefined;
  }

  private firstInView(list: HTMLElement): number {
    const top = list.getBoundingClientRect().top;
    const seen = this.rendered(list).find(({ el }) => el.getBoundingClientRect().bottom > top + 1);
    return seen?.index ?? this.start;
  }

  /** The item that has focus (or holds it), if it is in this list. */
  private focused(list: HTMLElement): number | undefined {
    const root = list.getRootNode() as ShadowRoot | Document;
    const active = root.activeElement;
    if (!active || active === list || !list.contains(active)) return undefined;
    return this.indexOf(list, active);
  }

  /** The items near the viewport, from measured heights; empty space stands in for the rest. */
  private move(): void {
    const list = this.windowedList();
    const size = this.items.length;
    if (!list || size === 0) return;
    const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
    for (const { el, index } of this.rendered(list)) {
      // An item not laid out (the list hidden, not yet styled) says nothing about its height.
      if (el.offsetHeight === 0) continue;
      const key = this.keyOf(this.items[index] as never, index);
      const h = el.offsetHeight + gap;
      this.measuredTotal += h - (this.heights.get(key) ?? 0);
      this.heights.set(key, h);
    }
    if (list.clientHeight === 0) {
      // Not on screen (a closed <details>): keep what is rendered, with the space of the rest.
      this.place(list, Math.min(this.start, size - 1), Math.min(Math.max(this.end, this.start + 1), size), false);
      return;
    }
    const average = this.average();
    const top = list.scrollTop - this.overscan;
    const bottom = list.scrollTop + list.clientHeight + this.overscan;
    let y = 0;
    let start = 0;
    while (start < size - 1 && y + this.height(start, average) < top) y += this.height(start++, average);
    let end = start;
    while (end < size && y < bottom && end - start < this.max) y += this.height(end++, average);
    // The focused item stays rendered while it is near; when it must go, the list takes focus
    // first, so focus never falls to the page.
    const focused = this.focused(list);
    if (focused !== undefined && (focused < start || focused >= end)) {
      if (Math.max(end, focused + 1) - Math.min(start, focused) <= this.max) {
        start = Math.min(start, focused);
        end = Math.max(end, focused + 1);
      } else {
        list.focus({ preventScroll: true });
      }
    }
    this.place(list, start, end, false);
  }

  /** Sizes the space before and after items `start…end`, and renders them if the window moved. */
  private place(list: HTMLElement, start: number, end: number, force: boolean): void {
    const moved = start !== this.start || end !== this.end;
    if (moved && !force && this.settling++ > 8) {
      start = this.start;
      end = this.end;
    }
    const average = this.average();
    const size = this.items.length;
    let before = 0;
    for (let i = 0; i < start; i += 1) before += this.height(i, average);
    let after = 0;
    for (let i = end; i < size; i += 1) after += this.height(i, average);
    // Through the CSSOM, never a style attribute in a template (strict CSP).
    list.style.setProperty('--_window-before', `${before}px`);
    list.style.setProperty('--_window-after', `${after}px`);
    if (start !== this.start || end !== this.end) {
      this.start = start;
      this.end = end;
      this.host.requestUpdate();
    }
  }
}
