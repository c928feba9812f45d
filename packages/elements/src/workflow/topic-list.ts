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
 *
 * With `rooms` (a programme with consultation rooms, 协商议事室), a labelled "Consultation room"
 * picker above the list (every room, "All rooms") shows one room's topics; the choice is kept per
 * host like the window (`topicListRoom(host)`), starts from `rooms.initial` (the workflow's `room`
 * attribute), and a room without topics says so. `roomPicker` is the same picker for a list the
 * host filters itself (the server's index, `?room=`).
 */
import { css, html, nothing, type ReactiveElement, type TemplateResult } from 'lit';
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

/** The consultation rooms a list can be narrowed to, and the words of its picker. */
export interface TopicListRooms<T> {
  /** The config's rooms: id and name in the list's language. Empty: no picker. */
  list: ReadonlyArray<{ id: string; name: string }>;
  /** The room a topic is in (`context.room` / `summary.room`). */
  of: (topic: T) => string | undefined;
  /** The picker's label ("Consultation room"). */
  label: string;
  /** Its first option ("All rooms"). */
  all: string;
  /** Said instead of the list when the chosen room has no topic. */
  none: string;
  /** The room to show before a person chooses (e.g. the workflow's `room` attribute); '' or absent for all. */
  initial?: string;
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
  /** With rooms: the room picker above the list, and only the chosen room's topics. */
  rooms?: TopicListRooms<T>;
}

/** The windowed list in a box of its own: room for each button's focus ring inside the scrolling edge. */
const topicListStyles = css`
  .topics[data-window] {
    padding: calc(0.5 * var(--_base));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .room-filter {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.5 * var(--_base));
    margin: 0 0 var(--_base);
  }
  .room-filter .input {
    inline-size: auto;
    max-inline-size: 100%;
  }
  .room-none {
    margin: 0;
  }
`;

/** Newest first, for ISO 8601 times (they order as plain strings; `localeCompare` is far slower on 1,000 topics). */
export const byNewest = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

const windows = new WeakMap<ReactiveElement, WindowController>();
/** Each window's host, for the room picker's choice (kept per host, like the window). */
const hosts = new WeakMap<WindowController, ReactiveElement>();

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
    hosts.set(found, host);
  }
  return found;
}

/** The room a host's list shows: chosen by a person, or the host's `initial` until one chooses (or `initial` changes). */
interface RoomChoice {
  value: string;
  initial: string;
}

const roomChoices = new WeakMap<ReactiveElement, RoomChoice>();

/** The room `host`'s topic list shows ('' for all), given the host's `initial` room. */
export function topicListRoom(host: ReactiveElement, initial = ''): string {
  let choice = roomChoices.get(host);
  if (!choice || choice.initial !== initial) {
    choice = { value: initial, initial };
    roomChoices.set(host, choice);
  }
  return choice.value;
}

/**
 * A labelled `<select>` of every room with "All rooms" first. `value` is shown chosen (a room
 * the list does not name is kept as an option of its own id, so the choice stays visible).
 */
export function roomPicker(options: {
  id: string;
  rooms: ReadonlyArray<{ id: string; name: string }>;
  value: string;
  label: string;
  all: string;
  onChange: (room: string) => void;
}): TemplateResult {
  const { id, rooms, value, label, all, onChange } = options;
  return html`<div class="room-filter" part="room-filter">
    <label class="label" for=${id}>${label}</label>
    <select id=${id} class="input" @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="" .selected=${value === ''}>${all}</option>
      ${rooms.map((r) => html`<option value=${r.id} .selected=${value === r.id}>${r.name}</option>`)}
      ${value && !rooms.some((r) => r.id === value) ? html`<option value=${value} .selected=${true}>${value}</option>` : nothing}
    </select>
  </div>`;
}

/** The list of topics, each a button that opens the topic; with `rooms`, the room picker above it. */
export function topicList<T>(props: TopicListProps<T>): TemplateResult {
  const { rows, rooms } = props;
  const host = hosts.get(rows);
  if (!rooms || rooms.list.length === 0 || !host) return list(props, props.topics);
  const room = topicListRoom(host, rooms.initial ?? '');
  const shown = room ? props.topics.filter((t) => rooms.of(t) === room) : props.topics;
  const picker = roomPicker({
    id: 'topic-room',
    rooms: rooms.list,
    value: room,
    label: rooms.label,
    all: rooms.all,
    onChange: (value) => {
      roomChoices.set(host, { value, initial: rooms.initial ?? '' });
      rows.reset();
      host.requestUpdate();
    },
  });
  return html`${picker}${shown.length === 0 ? html`<p class="room-none" role="status">${rooms.none}</p>` : list(props, shown)}`;
}

function list<T>({ rows, id, describe, label, onOpen }: TopicListProps<T>, topics: readonly T[]): TemplateResult {
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
