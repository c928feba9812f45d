/**
 * Styles of `<consult-meeting-timeline>`: a vertical list of stages joined by a line, mobile first
 * (one column from 320 px; definition lists stack below ~28rem of width), the current stage framed
 * and tinted, status in words beside every stage (never colour alone), overdue marks with an icon
 * and text, forced colours and large text through the shared tokens.
 */
import { css } from 'lit';

export const meetingTimelineStyles = css`
  :host {
    --timeline-marker-size: calc(1.75rem * var(--_scale));
    --timeline-line-color: var(--_border);
    --timeline-current-background: color-mix(in srgb, var(--_primary) 5%, var(--_bg));
  }

  .base {
    max-width: 52rem;
  }

  p {
    margin: 0 0 0.5rem;
  }

  .caption {
    color: var(--_muted);
    margin-bottom: 0.25rem;
  }

  .heading {
    font-size: 1.5em;
    line-height: 1.25;
    margin: 0 0 0.5rem;
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
    gap: 0.5rem;
    align-items: flex-start;
    font-weight: 700;
    border-inline-start: 5px solid var(--_error);
    padding: 0.25rem 0 0.25rem 0.75rem;
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
    padding-inline-start: 0.75rem;
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
    margin: 0.75rem 0 1rem;
  }

  .toggle {
    font: inherit;
    min-block-size: 44px;
    padding: 0.5rem 1rem;
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
    margin: 0.75rem 0 0;
    padding: 0;
  }

  .stage {
    position: relative;
    padding-inline-start: calc(var(--timeline-marker-size) + 0.75rem);
    padding-block-end: 1rem;
  }

  /* The line joining one stage's marker to the next. */
  .stage::before {
    content: '';
    position: absolute;
    inset-inline-start: calc(var(--timeline-marker-size) / 2 - 1px);
    inset-block: calc(var(--timeline-marker-size) + 0.25rem) 0.25rem;
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
    inset-block-start: 0.1rem;
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
    padding: 0.75rem;
    margin-block-start: -0.5rem;
  }

  .stage-title {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
    font-size: 1.125em;
    line-height: 1.3;
    margin: 0 0 0.25rem;
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
    padding: 0.15rem 0.5rem;
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
    margin-bottom: 0.25rem;
  }

  .gist {
    overflow-wrap: anywhere;
  }

  details {
    margin-block-start: 0.25rem;
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
    padding-block: 0.5rem;
    inline-size: fit-content;
    max-inline-size: 100%;
  }

  summary:hover {
    text-decoration: underline;
  }

  .body {
    margin-block-start: 0.25rem;
  }

  details > .body {
    margin-block-start: 0;
  }

  .description {
    white-space: pre-line;
    overflow-wrap: anywhere;
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: 0.75rem;
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

  .items-title {
    font-size: 1em;
    margin: 0.75rem 0 0.25rem;
  }

  .item {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
    padding-block: 0.5rem;
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 40%, var(--_bg));
  }

  .meta {
    flex: 1 1 12rem;
    max-inline-size: 15rem;
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
    flex: 999 1 16rem;
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }

  .what strong {
    font-weight: 700;
    margin-inline-end: 0.5rem;
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
    margin-inline-end: 0.5rem;
  }

  /* ── Meetings, records and measures ───────────────────────────────────────────────────── */

  .meeting,
  .measures {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: 0.75rem;
    margin-block: 0.5rem 0.75rem;
  }

  .meeting-title,
  .measures-title {
    font-size: 1.0625em;
    margin: 0 0 0.5rem;
  }

  .record {
    margin-block-start: 0.75rem;
    padding-block-start: 0.5rem;
    border-block-start: 1px dashed var(--_border);
  }

  .record-title {
    font-size: 1em;
    margin: 0 0 0.5rem;
  }

  /* Term and value side by side while there is room, the value under its term when there is not. */
  .facts {
    margin: 0;
  }

  .fact {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
    padding-block: 0.125rem;
  }

  .fact dt {
    flex: 1 1 7.5rem;
    max-inline-size: 11rem;
    font-weight: 700;
  }

  .fact dd {
    flex: 999 1 14rem;
    margin: 0 0 0.25rem;
    min-inline-size: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }

  .people,
  .agenda,
  .record-measures {
    margin: 0;
    padding-inline-start: 1.25rem;
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
    padding-block: 0.75rem;
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 40%, var(--_bg));
  }

  .measure:first-child {
    border-block-start: 0;
    padding-block-start: 0;
  }

  .measure--overdue {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: 0.75rem;
  }

  .measure-text {
    font-weight: 700;
    overflow-wrap: anywhere;
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
    white-space: normal;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    font-weight: 700;
    padding: 0 0.5rem;
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
