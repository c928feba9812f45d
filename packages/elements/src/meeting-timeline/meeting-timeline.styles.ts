/**
 * Styles of `<consult-meeting-timeline>`: a vertical list of stages joined by a line, mobile first
 * (one column from 320 px; definition lists stack below ~calc(28 * var(--_base)) of width), the current stage framed
 * and tinted, status in words beside every stage (never colour alone), overdue marks with an icon
 * and text, forced colours and large text through the shared tokens.
 */
import { css } from 'lit';

export const meetingTimelineStyles = css`
  :host {
    --timeline-marker-size: calc(1.75 * var(--_base) * var(--_scale));
    --timeline-line-color: var(--_border);
    --timeline-current-background: color-mix(in srgb, var(--_primary) 5%, var(--_bg));
  }

  .base {
    max-width: calc(52 * var(--_base));
  }

  p {
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .caption {
    color: var(--_muted);
    margin-bottom: calc(0.25 * var(--_base));
  }

  .heading {
    font-size: 1.5em;
    line-height: 1.25;
    margin: 0 0 calc(0.5 * var(--_base));
    overflow-wrap: anywhere;
  }

  .current {
    font-size: 1.0625em;
  }

  .current strong {
    color: var(--_primary);
  }

  .alert {
    display: flex;
    gap: calc(0.5 * var(--_base));
    align-items: flex-start;
    font-weight: 700;
    border-inline-start: 5px solid var(--_error);
    padding: calc(0.25 * var(--_base)) 0 calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
  }

  .alert.overdue {
    color: var(--_error);
  }

  .note {
    color: var(--_text);
  }

  .message {
    margin: 0;
  }

  .problem {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: calc(0.75 * var(--_base));
  }

  .muted {
    color: var(--_muted);
  }

  .icon {
    flex: none;
    inline-size: 1.1em;
    block-size: 1.1em;
    margin-block-start: 0.2em;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
    stroke-linejoin: round;
    stroke-linecap: round;
  }

  /* ── Toolbar ──────────────────────────────────────────────────────────────────────────── */

  .toolbar {
    margin: calc(0.75 * var(--_base)) 0 var(--_base);
  }

  .toggle {
    font: inherit;
    min-block-size: 44px;
    padding: calc(0.5 * var(--_base)) var(--_base);
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_primary);
    font-weight: 700;
    cursor: pointer;
  }

  .toggle:hover {
    background: color-mix(in srgb, var(--_primary) 8%, var(--_bg));
  }

  /* ── Stages ───────────────────────────────────────────────────────────────────────────── */

  .stages {
    list-style: none;
    margin: calc(0.75 * var(--_base)) 0 0;
    padding: 0;
  }

  .stage {
    position: relative;
    padding-inline-start: calc(var(--timeline-marker-size) + calc(0.75 * var(--_base)));
    padding-block-end: var(--_base);
  }

  /* The line joining one stage's marker to the next. */
  .stage::before {
    content: '';
    position: absolute;
    inset-inline-start: calc(var(--timeline-marker-size) / 2 - 1px);
    inset-block: calc(var(--timeline-marker-size) + calc(0.25 * var(--_base))) calc(0.25 * var(--_base));
    border-inline-start: 2px solid var(--timeline-line-color);
  }

  .stage--upcoming::before,
  .stage--skipped::before {
    border-inline-start-style: dashed;
  }

  .stage:last-child::before {
    display: none;
  }

  .marker {
    position: absolute;
    inset-inline-start: 0;
    inset-block-start: calc(0.1 * var(--_base));
    inline-size: var(--timeline-marker-size);
    block-size: var(--timeline-marker-size);
    border-radius: 50%;
    border: 2px solid var(--_border);
    background: var(--_bg);
    color: var(--_muted);
    display: grid;
    place-items: center;
    font-size: 0.8125em;
    font-weight: 700;
  }

  .marker svg {
    inline-size: 70%;
    block-size: 70%;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  .stage--done .marker {
    background: var(--_success);
    border-color: var(--_success);
    color: var(--_primary-text);
  }

  .stage--current .marker {
    background: var(--_primary);
    border-color: var(--_primary);
    box-shadow: 0 0 0 4px color-mix(in srgb, var(--_primary) 25%, transparent);
  }

  .stage--current .marker::after {
    content: '';
    inline-size: 35%;
    block-size: 35%;
    border-radius: 50%;
    background: var(--_primary-text);
  }

  .stage--skipped .marker {
    border-style: dashed;
  }

  .card {
    min-inline-size: 0;
  }

  .card > :last-child,
  .body > :last-child {
    margin-block-end: 0;
  }

  .stage--current > .card {
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    background: var(--timeline-current-background);
    padding: calc(0.75 * var(--_base));
    margin-block-start: calc(-0.5 * var(--_base));
  }

  .stage-title {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    font-size: 1.125em;
    line-height: 1.3;
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .stage--upcoming .stage-name,
  .stage--skipped .stage-name {
    font-weight: 400;
    color: var(--_muted);
  }

  .status {
    font-size: 0.75em;
    font-weight: 700;
    line-height: 1.2;
    padding: calc(0.15 * var(--_base)) calc(0.5 * var(--_base));
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }

  .status--done {
    color: var(--_success);
  }

  .status--current {
    color: var(--_primary-text);
    background: var(--_primary);
    border-color: var(--_primary);
  }

  .status--upcoming,
  .status--skipped {
    color: var(--_muted);
    font-weight: 400;
  }

  .dates {
    color: var(--_muted);
    font-size: 0.9375em;
    margin-bottom: calc(0.25 * var(--_base));
  }

  .gist {
    overflow-wrap: anywhere;
  }

  details {
    margin-block-start: calc(0.25 * var(--_base));
  }

  /* Slotted into the details' own shadow tree, summary would inherit content-box from there. */
  details > * {
    box-sizing: border-box;
  }

  summary {
    display: list-item;
    cursor: pointer;
    color: var(--_primary);
    font-weight: 700;
    min-block-size: 44px;
    padding-block: calc(0.5 * var(--_base));
    inline-size: fit-content;
    max-inline-size: 100%;
  }

  summary:hover {
    text-decoration: underline;
  }

  .body {
    margin-block-start: calc(0.25 * var(--_base));
  }

  details > .body {
    margin-block-start: 0;
  }

  .description {
    white-space: pre-line;
    overflow-wrap: anywhere;
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: calc(0.75 * var(--_base));
  }

  a {
    color: var(--_primary);
  }

  /* ── Log items ────────────────────────────────────────────────────────────────────────── */

  .items {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  /* More than 20 records: a box of their own that scrolls, with only those on screen rendered
     (the space of the rest: windowStyles, adopted by the WindowController). */
  .items[data-window] {
    block-size: var(--list-block-size, min(60vh, calc(30 * var(--_base))));
    border: 1px solid color-mix(in srgb, var(--_border) 60%, var(--_bg));
    border-radius: var(--_radius);
    padding-inline: calc(0.5 * var(--_base));
  }

  .items-title {
    font-size: 1em;
    margin: calc(0.75 * var(--_base)) 0 calc(0.25 * var(--_base));
  }

  .item {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_base);
    padding-block: calc(0.5 * var(--_base));
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 40%, var(--_bg));
  }

  .meta {
    flex: 1 1 calc(12 * var(--_base));
    max-inline-size: calc(15 * var(--_base));
  }

  .when {
    display: block;
    color: var(--_muted);
    font-size: 0.9375em;
  }

  .who {
    display: block;
    font-weight: 700;
  }

  .what {
    flex: 999 1 calc(16 * var(--_base));
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }

  .what strong {
    font-weight: 700;
    margin-inline-end: calc(0.5 * var(--_base));
  }

  .detail {
    display: block;
    font-weight: 400;
  }

  /* Line breaks a person typed (findings, feedback, reasons) are kept. */
  .said {
    white-space: pre-line;
  }

  .stars {
    color: var(--consult-color-star, #b25e00);
    letter-spacing: 0.1em;
    margin-inline-end: calc(0.5 * var(--_base));
  }

  /* ── Meetings, records and measures ───────────────────────────────────────────────────── */

  .meeting,
  .measures {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: calc(0.75 * var(--_base));
    margin-block: calc(0.5 * var(--_base)) calc(0.75 * var(--_base));
  }

  .meeting-title,
  .measures-title {
    font-size: 1.0625em;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .record {
    margin-block-start: calc(0.75 * var(--_base));
    padding-block-start: calc(0.5 * var(--_base));
    border-block-start: 1px dashed var(--_border);
  }

  .record-title {
    font-size: 1em;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  /* Term and value side by side while there is room, the value under its term when there is not. */
  .facts {
    margin: 0;
  }

  .fact {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_base);
    padding-block: calc(0.125 * var(--_base));
  }

  .fact dt {
    flex: 1 1 calc(7.5 * var(--_base));
    max-inline-size: calc(11 * var(--_base));
    font-weight: 700;
  }

  .fact dd {
    flex: 999 1 calc(14 * var(--_base));
    margin: 0 0 calc(0.25 * var(--_base));
    min-inline-size: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }

  .people,
  .agenda,
  .record-measures {
    margin: 0;
    padding-inline-start: calc(1.25 * var(--_base));
    white-space: normal;
  }

  .people {
    list-style: none;
    padding-inline-start: 0;
  }

  .role {
    font-weight: 700;
  }

  .agenda-now {
    font-weight: 700;
    color: var(--_primary);
  }

  .measure-list {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .measure {
    padding-block: calc(0.75 * var(--_base));
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 40%, var(--_bg));
  }

  .measure:first-child {
    border-block-start: 0;
    padding-block-start: 0;
  }

  .measure--overdue {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: calc(0.75 * var(--_base));
  }

  .measure-text {
    font-weight: 700;
    overflow-wrap: anywhere;
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.25 * var(--_base)) calc(0.5 * var(--_base));
    align-items: center;
    white-space: normal;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: calc(0.25 * var(--_base));
    font-weight: 700;
    padding: 0 calc(0.5 * var(--_base));
    border-radius: var(--_radius);
    border: 1px solid currentColor;
  }

  .badge--implemented,
  .badge--feedback {
    color: var(--_success);
  }

  .badge--declined {
    color: var(--_text);
  }

  .badge--adopted,
  .badge--inProgress,
  .badge--proposed {
    color: var(--_primary);
  }

  .badge--overdue {
    color: var(--_primary-text);
    background: var(--_error);
    border-color: var(--_error);
  }

  .badge--overdue .icon {
    margin: 0;
  }

  @media (forced-colors: active) {
    .stage--current .marker {
      border-width: 4px;
    }
    .stage--current > .card {
      border-width: 3px;
    }
    .status,
    .badge {
      border: 1px solid CanvasText;
    }
  }
`;
