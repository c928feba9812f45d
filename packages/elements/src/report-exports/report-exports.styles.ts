import { css } from 'lit';

/** The exports panel: the form's fields stacked on a phone, the dates and the selects side by side when there is room. */
export const reportExportsStyles = css`
  .intro {
    margin-block-end: var(--_space);
  }

  .field {
    margin-block-end: calc(1.5 * var(--_base));
  }

  .presets {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
    margin-block-end: calc(0.75 * var(--_base));
  }

  .dates,
  .selects {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin-block-end: calc(1.5 * var(--_base));
  }

  .date,
  .control {
    flex: 1 1 12em;
    min-width: 0;
  }

  .date .input {
    max-width: 14em;
  }

  .personal {
    max-width: 40em;
    padding-inline-start: calc(0.75 * var(--_base));
    border-inline-start: 5px solid var(--_border);
    margin-block-end: var(--_space);
  }

  .actions {
    margin-block-end: calc(0.75 * var(--_base));
  }

  .status {
    min-height: 1.5em;
  }

  .status--error {
    font-weight: 700;
    color: var(--_error);
    padding-inline-start: calc(0.75 * var(--_base));
    border-inline-start: 5px solid var(--_error);
  }
`;
