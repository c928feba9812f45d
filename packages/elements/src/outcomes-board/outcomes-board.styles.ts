/**
 * Styles of `<consult-outcomes-board>`: the search box and filters in one column on a phone and
 * in a row on wider screens (controls at least 44 px high), topics as cards, statuses and overdue
 * marks always as text and icon (never colour alone), a pager with large buttons, forced colours
 * and large text through the shared tokens. The heading and `--overdue-color` are
 * `reportStyles`; labels and inputs are `inputStyles`.
 */
import { css } from 'lit';

export const outcomesBoardStyles = css`
  :host {
    --topic-gap: var(--_base);
    --input-max-width: none;
  }

  .intro,
  .source,
  .when,
  .hint {
    color: var(--_muted);
  }

  .intro {
    margin-bottom: var(--_space);
  }

  /* ── Filters ──────────────────────────────────────────────────────────────────────────── */

  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, calc(11 * var(--_base))), 1fr));
    gap: calc(0.75 * var(--_base)) var(--_base);
    align-items: end;
    margin: 0 0 var(--_space);
  }

  .control--search {
    grid-column: 1 / -1;
  }

  .hint {
    margin-bottom: calc(0.25 * var(--_base));
  }

  .search-row {
    display: flex;
    gap: calc(0.5 * var(--_base));
  }

  .search-row .input {
    flex: 1 1 auto;
    min-width: 0;
  }

  .search-row .button {
    flex: none;
    white-space: nowrap;
  }

  .control--check {
    display: flex;
    align-items: center;
    gap: calc(0.625 * var(--_base));
    min-height: calc(2.75 * var(--_base));
  }

  .check {
    flex: none;
    font-size: inherit;
    width: 1.5em;
    height: 1.5em;
    margin: 0;
    cursor: pointer;
  }

  .button:disabled {
    cursor: not-allowed;
    color: var(--_muted);
    border-color: var(--_muted);
  }

  .button--link {
    padding-inline: calc(0.25 * var(--_base));
    border-color: transparent;
    color: var(--_primary);
    font-weight: 400;
    text-decoration: underline;
  }

  /* ── Notice, count, empty ─────────────────────────────────────────────────────────────── */

  .notice {
    padding: var(--_space);
    margin-bottom: var(--_space);
    border: 2px solid var(--_text);
    border-inline-start: 6px solid var(--overdue-color);
  }

  .notice p {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .notice-title {
    display: flex;
    align-items: center;
    gap: calc(0.4 * var(--_base));
    font-weight: 700;
  }

  .count {
    font-weight: 700;
  }

  .count:focus-visible {
    outline: 3px solid var(--_focus);
  }

  .empty {
    padding: var(--_space);
    margin-top: var(--_space);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
  }

  .empty p {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .empty-title {
    font-weight: 700;
  }

  /* ── Topics ───────────────────────────────────────────────────────────────────────────── */

  .list,
  .measures {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .list {
    display: grid;
    gap: var(--topic-gap);
    margin-top: calc(0.5 * var(--_base));
  }

  .topic {
    padding: var(--_base);
    border: 1px solid var(--_border);
    border-inline-start: 6px solid var(--_border);
    border-radius: var(--_radius);
  }

  .topic--closed {
    border-inline-start-color: var(--_success);
  }

  .topic-title {
    font-size: 1.1875em;
    line-height: 1.3;
    margin: 0 0 calc(0.375 * var(--_base));
    overflow-wrap: anywhere;
  }

  h4 {
    font-size: 1em;
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .badges,
  .measure-facts {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    margin-bottom: calc(0.375 * var(--_base));
  }

  .status,
  .measure-status,
  .overdue {
    display: inline-flex;
    align-items: center;
    gap: calc(0.3 * var(--_base));
    font-weight: 700;
  }

  .status--closed,
  .status--implemented {
    color: var(--_success);
  }

  .overdue {
    color: var(--overdue-color);
  }

  .icon {
    inline-size: 1.15em;
    block-size: 1.15em;
    flex: none;
  }

  .description,
  .measure-text,
  .note,
  .decision {
    overflow-wrap: anywhere;
  }

  .description {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .decision {
    font-weight: 700;
    margin-top: calc(0.5 * var(--_base));
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(9 * var(--_base))), 1fr));
    gap: calc(0.375 * var(--_base)) var(--_base);
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .section {
    margin-top: calc(0.75 * var(--_base));
    padding-top: calc(0.5 * var(--_base));
    border-top: 1px solid var(--_border);
  }

  .measure {
    padding-block: calc(0.375 * var(--_base));
    padding-inline-start: calc(0.75 * var(--_base));
    border-inline-start: 4px solid transparent;
  }

  .measure--overdue {
    border-inline-start-color: var(--overdue-color);
  }

  .measure-text {
    font-weight: 700;
  }

  .note {
    color: var(--_muted);
  }

  .open {
    display: inline-block;
    margin-top: calc(0.75 * var(--_base));
    min-block-size: calc(1.75 * var(--_base));
    color: var(--_primary);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }

  consult-star-rating {
    --star-size: calc(1.75 * var(--_base) * var(--_scale));
    display: inline-block;
    background: transparent;
  }

  /* ── Pager ────────────────────────────────────────────────────────────────────────────── */

  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.5 * var(--_base)) var(--_base);
    margin-top: var(--_space);
  }

  @media (forced-colors: active) {
    .topic--closed,
    .measure--overdue,
    .notice {
      border-inline-start-color: CanvasText;
    }
  }
`;
