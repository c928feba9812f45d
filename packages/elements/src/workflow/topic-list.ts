/**
 * The convener's topic list in `<consult-workflow>` (every topic on this device, the newest change
 * first): up to 20 as they are; more scroll in a box of their own that renders only the topics on
 * screen (WindowController), so a programme of 1,000 topics has about as many elements in the page
 * as one of 10. Each item keeps `aria-posinset` / `aria-setsize` (a screen reader says "12 of
 * 1,000"); Tab goes from topic to topic as before, and ↓ ↑, Page Up / Down, Home and End move from
 * topic to topic too.
 *
 * A render helper: it receives the topics as words already (title and stage line) and what to do
 * when one is opened; the window belongs to the host element (`topicListWindow(host)`).
 */
import { css, html, type ReactiveElement, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { WindowController } from '../controllers/window-controller.js';

/** A topic as the list shows it. */
export interface TopicListItem {
  id: string;
  /** Its title (or the "untitled" words). */
  title: string;
  /** The line under it, e.g. "阶段：协商议事". */
  meta: string;
}

export interface TopicListProps<T> {
  /** The host's window over the list (`topicListWindow(host)`). */
  rows: WindowController;
  /** Every topic listed, in order (only those in the window are described and rendered). */
  topics: readonly T[];
  /** A topic's id (its key in the list). */
  id: (topic: T) => string;
  /** A topic in words, asked only for the topics rendered. */
  describe: (topic: T) => TopicListItem;
  /** The list's accessible name (the view's heading words). */
  label: string;
  /** A person opened topic `id`. */
  onOpen: (id: string) => void;
}

/** The windowed list in a box of its own: room for each button's focus ring inside the scrolling edge. */
const topicListStyles = css`
  .topics[data-window] {
    padding: calc(0.5 * var(--_base));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;

/** Newest first, for ISO 8601 times (they order as plain strings; `localeCompare` is far slower on 1,000 topics). */
export const byNewest = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

const windows = new WeakMap<ReactiveElement, WindowController>();

/** The window of `host`'s topic list: one per element, made the first time its list renders. */
export function topicListWindow(host: ReactiveElement): WindowController {
  let found = windows.get(host);
  if (!found) {
    found = new WindowController(host, {
      list: () => host.renderRoot.querySelector<HTMLElement>('#topic-list'),
      // A topic's button: two lines and its padding, about 4.5 × 16 px until measured.
      estimate: 72,
      focusTarget: (item) => item.querySelector<HTMLElement>('button'),
      styles: [topicListStyles],
    });
    windows.set(host, found);
  }
  return found;
}

/** The list of topics, each a button that opens the topic. */
export function topicList<T>({ rows, topics, id, describe, label, onOpen }: TopicListProps<T>): TemplateResult {
  const { start, end, size, windowed } = rows.range(topics, id);
  return html`<ul
    id="topic-list"
    class="topics"
    part="topics"
    aria-label=${label}
    ?data-window=${windowed}
    @scroll=${rows.onScroll}
    @keydown=${rows.onKeydown}
  >
    ${repeat(
      windowed ? topics.slice(start, end) : topics,
      id,
      (topic, i) => {
        const t = describe(topic);
        return html`<li aria-posinset=${start + i + 1} aria-setsize=${size}>
          <button type="button" @click=${() => onOpen(t.id)}>
            <span class="title">${t.title}</span>
            <span class="meta">${t.meta}</span>
          </button>
        </li>`;
      },
    )}
  </ul>`;
}
