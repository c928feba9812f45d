/**
 * Styles of `<consult-outcome-tracker>`: filters in one column on a phone and in a row on wider
 * screens (controls at least 44 px high), a scrolling list of fixed height (a long list renders
 * only the rows near its viewport), rows as cards whose facts wrap, status and overdue always as text and icon (never colour
 * alone), forced colours and large text through the shared tokens. The heading and the
 * `--overdue-color` knob are `reportStyles`; the filters' labels and selects are `inputStyles`.
 */
import { css } from 'lit';

export const outcomeTrackerStyles = css`
  :host {
    --list-block-size: min(70vh, calc(42 * var(--_base)));
    --row-gap: calc(0.75 * var(--_base));
  }

  /* ── Filters ──────────────────────────────────────────────────────────────────────────── */

  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, calc(10 * var(--_base))), 1fr));
    gap: calc(0.75 * var(--_base)) var(--_base);
    align-items: end;
    margin: 0 0 var(--_space);
  }

  /* The filters fill their grid cells, a little tighter than a form's inputs. */
  .input {
    max-width: none;
    padding: calc(0.375 * var(--_base)) calc(0.5 * var(--_base));
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

  .control--check label {
    cursor: pointer;
  }

  .button--link {
    padding-inline: calc(0.25 * var(--_base));
    border-color: transparent;
    color: var(--_primary);
    font-weight: 400;
    text-decoration: underline;
  }

  /* ── Count, empty state ───────────────────────────────────────────────────────────────── */

  .count {
    font-weight: 700;
    margin-bottom: calc(0.5 * var(--_base));
  }

  .index-source {
    display: grid;
    gap: calc(0.5 * var(--_base));
  }
  .pager {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
  }
  .empty {
    padding: var(--_space);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
  }

  .empty p {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .empty-title {
    font-weight: 700;
  }

  /* ── The list ─────────────────────────────────────────────────────────────────────────── */

  .list {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    overscroll-behavior: contain;
  }

  /* A long list scrolls in a fixed height; the space before and after stands in for the rows not
     rendered (windowStyles in controllers/window-controller.ts, adopted by the controller). */
  .list--virtual {
    block-size: var(--list-block-size);
    contain: strict;
  }

  /* A few rows: as tall as they are, scrolling past the list's height. */
  .list--plain {
    max-block-size: var(--list-block-size);
    overflow: auto;
  }

  .list--plain .row:last-child {
    border-bottom: 0;
  }

  .list:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: 0 0 0 5px var(--_focus-text);
  }

  .row {
    inline-size: 100%;
    padding: calc(0.75 * var(--_base)) var(--_base) calc(0.75 * var(--_base) + var(--row-gap));
    border-bottom: 1px solid var(--_border);
    border-inline-start: 6px solid transparent;
  }

  .row--overdue {
    border-inline-start-color: var(--overdue-color);
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    margin-bottom: calc(0.375 * var(--_base));
  }

  .status,
  .overdue {
    display: inline-flex;
    align-items: center;
    gap: calc(0.3 * var(--_base));
    font-weight: 700;
  }

  .status--implemented {
    color: var(--_success);
  }

  .status--declined {
    color: var(--_muted);
  }

  .overdue {
    color: var(--overdue-color);
  }

  .icon {
    inline-size: 1.15em;
    block-size: 1.15em;
    flex: none;
  }

  .icon .knock-out {
    stroke: var(--_bg);
  }

  .measure {
    font-size: 1.0625em;
    font-weight: 700;
    overflow-wrap: anywhere;
  }

  .note {
    color: var(--_muted);
    margin-top: calc(0.25 * var(--_base));
    overflow-wrap: anywhere;
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(9 * var(--_base))), 1fr));
    gap: calc(0.375 * var(--_base)) var(--_base);
    margin: calc(0.5 * var(--_base)) 0 0;
  }

  .fact {
    min-width: 0;
  }

  .fact--topic {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 calc(0.5 * var(--_base));
  }

  .fact--rating {
    grid-column: span 2;
  }

  /* "Due in 3 days" under an open measure's due date. */
  .due-words {
    display: block;
    font-size: 0.875em;
    color: var(--_muted);
  }

  .rating-kinds {
    display: block;
    font-size: 0.875em;
    color: var(--_muted);
  }

  .topic-link {
    color: var(--_primary);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
  }

  .topic-button {
    display: inline;
    padding: 0;
    border: 0;
    background: none;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  /* The link is a large enough target: the whole line, at least 24 px high. */
  .topic-link {
    display: inline-block;
    min-block-size: calc(1.75 * var(--_base));
    padding-block: calc(0.125 * var(--_base));
  }

  consult-star-rating {
    --star-size: calc(1.75 * var(--_base) * var(--_scale));
    display: inline-block;
    background: transparent;
  }

  @media (forced-colors: active) {
    .row--overdue {
      border-inline-start-color: CanvasText;
    }
  }
`;
