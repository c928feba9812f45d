/**
 * What the programme reports share (`<consult-outcome-tracker>`, `<consult-programme-figures>`,
 * `<consult-outcomes-board>`, `<consult-overdue-list>`): their `--overdue-color` knob, their
 * heading, unspaced paragraphs and the terms and values of their fact lists (`reportStyles`), and
 * the plain button of those with buttons (`reportButtonStyles`). Use after `hostStyles` and before the component's own styles.
 */
import { css } from 'lit';

export const reportStyles = css`
  :host {
    --overdue-color: var(--_error);
  }

  .heading {
    font-size: 1.375em;
    line-height: 1.25;
    margin: 0 0 var(--_space);
  }

  p {
    margin: 0;
  }

  dt {
    font-size: 0.875em;
    color: var(--_muted);
  }

  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
`;

/**
 * The reports' plain button (retry, pager, clear filters): at least 44 px high, text on the page's
 * background with a border of the text's colour. A component's own styles add its variants
 * (`.button--link`, `.button:disabled`) after it.
 */
export const reportButtonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: calc(2.75 * var(--_base));
    padding: calc(0.5 * var(--_base)) calc(1.25 * var(--_base));
    border: 2px solid var(--_text);
    border-radius: var(--_radius);
    font: inherit;
    font-weight: 700;
    color: var(--_text);
    background: var(--_bg);
    cursor: pointer;
  }
`;
