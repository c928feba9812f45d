/**
 * Styles of `<consult-topic-form>`: mobile first (one column from 320 px), large targets
 * (controls at least 44 px high, tick boxes and radios 28 px), visible focus, errors marked by a
 * bar and text (never colour alone), forced colours and large text through the shared tokens.
 * The controls themselves are `formControlStyles` (../styles/form-controls.ts); this sets what is
 * the form's own: its spacing, the progress bar, files, the privacy notice, the confirmation.
 */
import { css } from 'lit';

export const topicFormStyles = css`
  :host {
    --input-max-width: calc(36 * var(--_base));
    --field-gap: calc(1.75 * var(--_base));
  }

  .base {
    max-width: calc(48 * var(--_base));
  }

  p {
    margin: 0 0 var(--_space);
  }

  .caption {
    color: var(--_muted);
    margin-bottom: calc(0.25 * var(--_base));
  }

  /* The room a scanned QR code preset (码上议): plain text with a rule, not a colour alone. */
  .room {
    font-weight: 700;
    padding-inline-start: calc(0.5 * var(--_base));
    border-inline-start: 4px solid var(--_primary);
    margin-bottom: calc(0.5 * var(--_base));
  }

  .heading {
    font-size: 1.5em;
    line-height: 1.25;
    margin: 0 0 calc(var(--_space) * 0.75);
  }

  /* Headings take focus only programmatically (a new page, the confirmation): no ring, they are not controls. */
  .heading:focus,
  .heading:focus-visible {
    outline: none;
    box-shadow: none;
  }

  .lede {
    color: var(--_text);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  /* ── Progress ─────────────────────────────────────────────────────────────────────────── */

  .progress {
    margin: calc(0.5 * var(--_base)) 0 var(--_base);
  }

  .progress-text {
    font-weight: 700;
    margin-bottom: calc(0.25 * var(--_base));
  }

  .progress-bar {
    appearance: none;
    -webkit-appearance: none;
    display: block;
    width: 100%;
    max-width: var(--input-max-width);
    height: calc(0.5 * var(--_base));
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    overflow: hidden;
  }

  .progress-bar::-webkit-progress-bar {
    background: var(--_bg);
  }

  .progress-bar::-webkit-progress-value {
    background: var(--_primary);
  }

  .progress-bar::-moz-progress-bar {
    background: var(--_primary);
  }

  /* ── Fields ───────────────────────────────────────────────────────────────────────────── */

  .field {
    margin: 0 0 var(--field-gap);
  }

  .required {
    font-weight: 400;
    color: var(--_muted);
  }

  .hint--choice {
    margin-top: calc(-0.25 * var(--_base));
  }

  .input--narrow {
    max-width: calc(14 * var(--_base));
  }

  .textarea {
    min-height: calc(8 * var(--_base));
  }

  .choices {
    gap: calc(0.5 * var(--_base));
  }

  /* ── Files ────────────────────────────────────────────────────────────────────────────── */

  .file-picker {
    position: relative;
  }

  /* The native input stays in the tab order and the accessibility tree; the button label shows it. */
  .file-input {
    position: absolute;
    inset: 0;
    width: 1px;
    height: 1px;
    opacity: 0;
    overflow: hidden;
  }

  .file-input:focus-visible + .file-button,
  .file-input:focus + .file-button {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: 0 0 0 5px var(--_focus-text);
  }

  .file-status {
    color: var(--_muted);
    margin: calc(0.5 * var(--_base)) 0;
  }

  .files {
    list-style: none;
    margin: 0;
    padding: 0;
    max-width: var(--input-max-width);
  }

  .file {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.25 * var(--_base)) calc(0.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) 0;
    border-bottom: 1px solid var(--_border);
  }

  .file-name {
    flex: 1 1 calc(12 * var(--_base));
    overflow-wrap: anywhere;
  }

  .file-size {
    color: var(--_muted);
  }

  /* ── Buttons ──────────────────────────────────────────────────────────────────────────── */

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.75 * var(--_base));
    margin-top: calc(var(--_space) * 1.5);
  }

  .button--primary[aria-disabled='true'] {
    opacity: 0.75;
    cursor: progress;
  }

  .actions .button {
    flex: 1 1 100%;
  }

  @media (min-width: 40em) {
    .actions .button {
      flex: 0 0 auto;
    }
  }

  /* ── Error summary, notices ───────────────────────────────────────────────────────────── */

  .error-summary {
    padding: var(--_space);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .error-summary-title {
    font-size: 1.25em;
  }

  .notice {
    border-inline-start: 5px solid var(--_primary);
    background: var(--_bg);
    padding: calc(0.75 * var(--_base)) var(--_space);
    margin-bottom: calc(var(--_space) * 1.5);
    outline: 1px solid var(--_border);
  }

  .privacy {
    border: 1px solid var(--_border);
    padding: var(--_space);
    margin: 0 0 var(--field-gap);
  }

  .privacy-title {
    font-size: 1.125em;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .privacy-list,
  .summary-list {
    margin: 0 0 calc(0.75 * var(--_base));
  }

  .privacy-list dt,
  .summary-list dt {
    font-weight: 700;
  }

  .privacy-list dd,
  .summary-list dd {
    margin: 0 0 calc(0.5 * var(--_base));
    overflow-wrap: anywhere;
  }

  .privacy a {
    display: inline-block;
    min-height: calc(1.5 * var(--_base));
  }

  /* ── Confirmation ─────────────────────────────────────────────────────────────────────── */

  .confirmation {
    border: 4px solid var(--_success);
    padding: var(--_space);
  }

  .confirmation .heading {
    color: var(--_success);
  }

  .delivery {
    font-weight: 700;
    min-height: 1.5em;
  }

  .warning {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: calc(0.75 * var(--_base));
    font-weight: 700;
  }

  .reference {
    font-size: 1.5em;
    letter-spacing: 0.05em;
    font-variant-numeric: tabular-nums;
  }

  .full-reference {
    color: var(--_muted);
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }

  .next-title {
    font-size: 1.125em;
    margin: calc(1.25 * var(--_base)) 0 calc(0.5 * var(--_base));
  }

  /* ── Problems with the config ─────────────────────────────────────────────────────────── */

  .problem {
    border: 4px solid var(--_error);
    padding: var(--_space);
  }

  .problem-title {
    font-weight: 700;
  }

  .config-errors {
    margin: 0;
    padding-inline-start: calc(1.25 * var(--_base));
    overflow-wrap: anywhere;
  }

  .config-errors li {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .pointer {
    font-weight: 700;
  }

  @media (forced-colors: active) {
    .warning,
    .notice {
      border-inline-start-color: CanvasText;
    }
    .progress-bar::-webkit-progress-value {
      background: Highlight;
    }
    .file-input:focus + .file-button {
      outline-color: Highlight;
    }
  }
`;
