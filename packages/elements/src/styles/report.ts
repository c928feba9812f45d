/**
 * What the two programme reports share, `<consult-outcome-tracker>` and
 * `<consult-programme-figures>`: their `--overdue-color` knob, their heading and unspaced
 * paragraphs. Use after `hostStyles` and before the component's own styles.
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
`;
