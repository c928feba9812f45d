/**
 * Styles of `<consult-staff-actions>`: mobile first (one column from 320 px), controls at least
 * 44 px high, visible focus, errors marked by a bar and words (never colour alone), each action
 * in its own bordered section; forced colours and large text through the shared tokens.
 * The controls themselves are `formControlStyles` (../styles/form-controls.ts); this sets what is
 * the element's own: its spacing, the action sections, the agenda, measures and facts.
 */
import { css } from 'lit';

export const staffActionsStyles = css`
  :host {
    --input-max-width: calc(36 * var(--_base));
    --action-gap: calc(1.5 * var(--_base));
    --action-border-color: var(--_border);
  }

  .base {
    max-width: calc(48 * var(--_base));
  }

  p {
    margin: 0 0 calc(0.75 * var(--_base));
  }

  .heading {
    font-size: 1.5em;
    line-height: 1.25;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  /* Headings take focus only programmatically (after an action): no ring, they are not controls. */
  .heading:focus,
  .action-title:focus,
  .measure-title:focus {
    outline: none;
    box-shadow: none;
  }

  .summary {
    margin-bottom: var(--action-gap);
  }

  .summary p {
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .topic-title {
    font-weight: 700;
    overflow-wrap: anywhere;
  }

  .topic-stage,
  .topic-decided {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }

  /* What the form collected: label over answer, wrapping into columns on wide screens. */
  .intake {
    margin-bottom: var(--action-gap);
    padding: calc(0.75 * var(--_base)) var(--_base);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .intake-title {
    font-size: 1.0625em;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .answers {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(14 * var(--_base))), 1fr));
    gap: calc(0.5 * var(--_base)) var(--_base);
    margin: 0;
  }

  .answer dt {
    font-size: 0.875em;
    color: var(--_muted);
  }

  .answer dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }

  .answer--withheld dd,
  .answer--empty dd {
    color: var(--_muted);
    font-style: italic;
  }

  .intake-note {
    color: var(--_muted);
    margin: calc(0.5 * var(--_base)) 0 0;
  }

  .nothing,
  .outcome {
    border-inline-start: 5px solid var(--_border);
    padding: calc(0.5 * var(--_base)) 0 calc(0.5 * var(--_base)) calc(0.75 * var(--_base));
    overflow-wrap: anywhere;
  }

  .status {
    font-weight: 700;
    color: var(--_success);
    margin: var(--action-gap) 0 0;
  }

  .status:empty {
    margin: 0;
  }

  /* ── Action sections ──────────────────────────────────────────────────────────────────── */

  .actions-list {
    display: grid;
    gap: var(--action-gap);
  }

  .action {
    border: 1px solid var(--action-border-color);
    border-radius: var(--_radius);
    padding: var(--_space);
  }

  .action--suggested {
    border-inline-start: 5px solid var(--_primary);
  }

  .action-title {
    font-size: 1.25em;
    line-height: 1.3;
    margin: 0 0 calc(0.75 * var(--_base));
  }

  .action-form + .action-form {
    margin-top: var(--_base);
    padding-top: var(--_base);
    border-top: 1px solid var(--action-border-color);
  }

  .notice {
    border-inline-start: 5px solid var(--_primary);
    padding: calc(0.25 * var(--_base)) 0 calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    font-weight: 700;
  }

  .meeting-summary,
  .now {
    font-weight: 700;
  }

  .agenda {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
    list-style: none;
    margin: 0 0 var(--_base);
    padding: 0;
    counter-reset: stage;
  }

  .agenda-stage {
    counter-increment: stage;
    border: 2px solid var(--_border);
    border-radius: 999px;
    padding: calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    color: var(--_muted);
  }

  .agenda-stage::before {
    content: counter(stage) '. ';
  }

  .agenda-stage--done {
    color: var(--_success);
    border-color: var(--_success);
  }

  .agenda-stage--current {
    color: var(--_primary-text);
    background: var(--_primary);
    border-color: var(--_primary);
    font-weight: 700;
  }

  .channel {
    max-width: var(--input-max-width);
    margin-top: calc(0.5 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(0.75 * var(--_base));
    border-inline-start: 5px solid var(--_border);
  }

  .channel p:last-child {
    margin-bottom: 0;
  }

  .close-summary {
    margin-bottom: var(--_base);
  }

  .feedback {
    border-inline-start: 5px solid var(--_success);
    padding: calc(0.25 * var(--_base)) 0 calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    margin-bottom: var(--_base);
  }

  .feedback-title {
    font-size: 1em;
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .feedback-text {
    white-space: pre-line;
    overflow-wrap: anywhere;
  }

  .done {
    font-weight: 700;
    color: var(--_success);
  }

  /* ── Measures ─────────────────────────────────────────────────────────────────────────── */

  .measures {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_base);
  }

  .measure {
    border-inline-start: 5px solid var(--_border);
    padding-inline-start: calc(0.75 * var(--_base));
  }

  .measure--implemented {
    border-inline-start-color: var(--_success);
  }

  .measure--adopted,
  .measure--inProgress {
    border-inline-start-color: var(--_primary);
  }

  .measure-title {
    font-size: 1.0625em;
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .measure-text {
    overflow-wrap: anywhere;
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(calc(9 * var(--_base)), 1fr));
    gap: calc(0.25 * var(--_base)) var(--_base);
    margin: 0 0 calc(0.75 * var(--_base));
  }

  .facts .wide {
    grid-column: 1 / -1;
  }

  .facts dt {
    color: var(--_muted);
    font-size: 0.875em;
  }

  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  /* "Due in 3 days" / "Overdue by 5 days" beside a measure's due date: words, bold when overdue (never colour alone). */
  .due-words {
    display: block;
    color: var(--_muted);
  }
  .due-words--overdue {
    color: var(--_error);
    font-weight: 700;
  }

  .status-tag {
    display: inline-block;
    padding: 0 calc(0.5 * var(--_base));
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    font-weight: 700;
  }

  .status-tag--implemented {
    color: var(--_success);
  }

  .status-tag--declined {
    color: var(--_muted);
  }

  .measure-forms {
    display: grid;
    gap: calc(0.75 * var(--_base));
  }

  .measure-forms .action-form + .action-form {
    margin-top: 0;
    padding-top: calc(0.75 * var(--_base));
  }

  /* ── Fields ───────────────────────────────────────────────────────────────────────────── */

  .field {
    margin: 0 0 calc(1.25 * var(--_base));
  }

  .group--boxed {
    margin: 0 0 calc(1.25 * var(--_base));
  }

  .label--group {
    font-size: 1.125em;
  }

  .optional {
    font-weight: 400;
    color: var(--_muted);
  }

  .hint--choice {
    margin: 0;
  }

  .input--narrow {
    max-width: calc(12 * var(--_base));
  }

  .input--medium {
    max-width: calc(16 * var(--_base));
  }

  .row {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin: 0 0 calc(0.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(0.75 * var(--_base)) calc(0.25 * var(--_base));
    min-width: 0;
  }

  .row-legend {
    font-weight: 700;
    padding: 0 calc(0.25 * var(--_base));
  }

  .row-fields {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_base);
  }

  .field--inline {
    flex: 1 1 calc(12 * var(--_base));
    min-width: 0;
  }

  .choices {
    gap: calc(0.25 * var(--_base));
  }

  /* ── Buttons ──────────────────────────────────────────────────────────────────────────── */

  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.75 * var(--_base));
  }

  .button--small {
    padding: calc(0.375 * var(--_base)) calc(0.875 * var(--_base));
  }

  .button--link {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .button[aria-disabled='true'] {
    opacity: 0.75;
    cursor: progress;
  }

  .buttons .button {
    flex: 1 1 100%;
  }

  @media (min-width: 40em) {
    .buttons .button {
      flex: 0 0 auto;
    }
  }

  /* ── Error summary ────────────────────────────────────────────────────────────────────── */

  .error-summary {
    padding: calc(0.75 * var(--_base)) var(--_space);
    margin-bottom: var(--_base);
  }

  .error-summary-title {
    font-size: 1.125em;
  }

  @media (forced-colors: active) {
    .notice,
    .measure,
    .nothing,
    .outcome,
    .feedback,
    .channel,
    .action--suggested {
      border-inline-start-color: CanvasText;
    }
    .agenda-stage--current {
      border-color: Highlight;
      text-decoration: underline;
    }
  }
`;
