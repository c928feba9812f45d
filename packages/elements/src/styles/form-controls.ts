/**
 * Form controls shared by `<consult-topic-form>` and `<consult-staff-actions>` (and, for the
 * labelled input alone, the filters of `<consult-outcome-tracker>`): mobile first, controls at
 * least 44 px high, tick boxes and radios 28 px, visible focus, errors marked by a bar and text
 * (never colour alone), the GOV.UK-style error summary. Use after `hostStyles` and before the
 * component's own styles, which set what differs (spacing, sizes) and come later in the cascade.
 * `.input` grows to `--input-max-width`, a knob the component declares on `:host`.
 */
import { css } from 'lit';

/** A label and the text input, text area or select under it (`.input`), with its focus ring. */
export const inputStyles = css`
  .label {
    display: block;
    font-weight: 700;
    margin-bottom: calc(0.25 * var(--_base));
    padding: 0;
  }

  .input {
    display: block;
    width: 100%;
    max-width: var(--input-max-width);
    min-height: calc(2.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(0.625 * var(--_base));
    border: 2px solid var(--_text);
    border-radius: 0;
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
  }

  .input:focus-visible,
  .input:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: inset 0 0 0 2px var(--_text);
  }
`;

/** Fields with hints and errors, choices (radios, tick boxes), the error summary, buttons and links. */
const formStyles = css`
  /* ── Fields ───────────────────────────────────────────────────────────────────────────── */

  .field--error {
    border-inline-start: 5px solid var(--_error);
    padding-inline-start: calc(0.75 * var(--_base));
  }

  .group {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }

  .hint {
    color: var(--_muted);
    margin-bottom: calc(0.5 * var(--_base));
  }

  .hint--choice {
    padding-inline-start: calc(1.75em + calc(0.75 * var(--_base)));
  }

  .error-message {
    color: var(--_error);
    font-weight: 700;
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .textarea {
    resize: vertical;
  }

  .select {
    max-width: calc(22 * var(--_base));
  }

  .input[aria-invalid='true'] {
    border-color: var(--_error);
  }

  .choices {
    display: grid;
  }

  .choice {
    display: flex;
    align-items: flex-start;
    gap: calc(0.75 * var(--_base));
    min-height: calc(2.75 * var(--_base));
    padding-block: calc(0.25 * var(--_base));
  }

  .choice-input {
    flex: none;
    font-size: inherit;
    width: 1.75em;
    height: 1.75em;
    margin: 0;
    accent-color: var(--_primary);
    cursor: pointer;
  }

  .choice-label {
    flex: 1 1 auto;
    min-height: 1.75em;
    padding-top: 0.125em;
    cursor: pointer;
  }

  /* ── Error summary ────────────────────────────────────────────────────────────────────── */

  .error-summary {
    border: 4px solid var(--_error);
  }

  .error-summary:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }

  .error-summary-title {
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .error-list {
    margin: 0;
    padding-inline-start: calc(1.25 * var(--_base));
  }

  .error-list li {
    margin: calc(0.25 * var(--_base)) 0;
  }

  .error-list a,
  .refusal {
    color: var(--_error);
    font-weight: 700;
  }

  .error-list a {
    text-decoration: underline;
  }

  /* ── Buttons, links ───────────────────────────────────────────────────────────────────── */

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: calc(2.75 * var(--_base));
    min-width: calc(2.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(1.25 * var(--_base));
    border: 2px solid transparent;
    border-radius: var(--_radius);
    font: inherit;
    font-weight: 700;
    line-height: 1.25;
    text-align: center;
    cursor: pointer;
  }

  .button--primary {
    background: var(--_primary);
    color: var(--_primary-text);
    border-color: var(--_primary);
  }

  .button--secondary {
    background: var(--_bg);
    color: var(--_text);
    border-color: var(--_text);
  }

  .button--link {
    padding: calc(0.25 * var(--_base)) calc(0.5 * var(--_base));
    background: none;
    border-color: transparent;
    color: var(--_primary);
    text-decoration: underline;
    font-weight: 400;
  }

  .button:hover {
    text-decoration: underline;
  }

  .link {
    color: var(--_primary);
    text-decoration: underline;
    display: inline-block;
    min-height: calc(1.5 * var(--_base));
  }

  @media (forced-colors: active) {
    .field--error {
      border-inline-start-color: CanvasText;
    }
    .button {
      border-color: ButtonText;
    }
  }
`;

/** Everything a form's controls need: `inputStyles`, then fields, choices, the error summary, buttons and links. */
export const formControlStyles = [inputStyles, formStyles];
