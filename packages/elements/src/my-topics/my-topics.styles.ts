import { css } from 'lit';

export const myTopicsStyles = css`
  :host {
    --step-marker-size: calc(1.5 * var(--_base));
  }
  .base {
    display: grid;
    gap: var(--_space);
  }
  p {
    margin: 0;
  }
  h3,
  h4 {
    margin: 0;
    line-height: 1.3;
  }
  h3 {
    font-size: 1.25em;
  }
  h4 {
    font-size: 1em;
  }
  h3:focus,
  h4:focus {
    outline: none;
  }
  .notices:empty {
    display: none;
  }
  .notice {
    padding: calc(0.75 * var(--_base)) var(--_base);
    border-inline-start: 5px solid var(--_primary);
    background: var(--consult-color-notice-background, #f3f2f1);
  }
  .notice.success {
    border-inline-start-color: var(--_success);
  }
  .topics {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .topic {
    display: grid;
    gap: calc(0.75 * var(--_base));
    padding: var(--_base);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .topic--forward {
    border-width: 3px;
    border-color: var(--_success);
  }
  .meta {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .stepper {
    display: grid;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .step {
    display: grid;
    grid-template-columns: var(--step-marker-size) 1fr;
    gap: calc(0.75 * var(--_base));
    padding-block-end: var(--_base);
    position: relative;
  }
  /* The line joining the markers. */
  .step:not(:last-child)::before {
    content: '';
    position: absolute;
    inset-block: var(--step-marker-size) 0;
    inset-inline-start: calc(var(--step-marker-size) / 2 - 1px);
    border-inline-start: 2px solid var(--_border);
  }
  .marker {
    display: grid;
    place-items: center;
    inline-size: var(--step-marker-size);
    block-size: var(--step-marker-size);
    border: 2px solid var(--_border);
    border-radius: 50%;
    background: var(--_bg);
    font-size: 0.875em;
    line-height: 1;
  }
  .step--done .marker {
    border-color: var(--_success);
    color: var(--_success);
  }
  .step--current .marker {
    border-width: 3px;
    border-color: var(--_primary);
    color: var(--_primary);
  }
  .step-body {
    display: grid;
    gap: calc(0.25 * var(--_base));
    min-inline-size: 0;
  }
  .step-name {
    font-weight: 700;
  }
  .step-status {
    display: inline-block;
    margin-inline-start: calc(0.25 * var(--_base));
    padding: 0 calc(0.375 * var(--_base));
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    font-size: 0.875em;
  }
  .step--current .step-status {
    color: var(--_primary);
    font-weight: 700;
  }
  .step--upcoming .step-name,
  .step--upcoming .step-status {
    color: var(--_muted);
  }
  .facts,
  .measures {
    display: grid;
    gap: calc(0.5 * var(--_base));
    margin: 0;
    padding-inline-start: calc(1.25 * var(--_base));
  }
  .record {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: calc(0.25 * var(--_base)) var(--_base);
    margin: 0;
  }
  .record dt {
    font-weight: 700;
  }
  .record dd {
    margin: 0;
  }
  .measure {
    display: grid;
    gap: calc(0.125 * var(--_base));
  }
  .measure-text {
    font-weight: 700;
  }
  .overdue {
    margin-inline-start: calc(0.5 * var(--_base));
    color: var(--_error);
  }
  .rating-form,
  .confirm,
  .add-form {
    display: grid;
    gap: var(--_base);
    justify-items: start;
  }
  .rating-form .field,
  .confirm .field,
  .add-form .field {
    inline-size: 100%;
  }
  .confirm {
    padding: var(--_base);
    border: 3px solid var(--_error);
    border-radius: var(--_radius);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
  }
  .code-input {
    max-inline-size: 16em;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }
  .add-form {
    padding-block-start: var(--_base);
    border-block-start: 2px solid var(--_border);
  }
  .code-details summary {
    min-block-size: 44px;
    display: flex;
    align-items: center;
    color: var(--_primary);
    text-decoration: underline;
    cursor: pointer;
  }
  .error-message {
    color: var(--_error);
    font-weight: 700;
  }
  @media (forced-colors: active) {
    .step--current .marker,
    .step--done .marker {
      border-color: Highlight;
      color: CanvasText;
    }
    .topic--forward {
      border-color: Highlight;
    }
  }

  /* "Tell me about progress": the opt-in of one topic. */
  .notices-optin {
    display: grid;
    gap: calc(0.75 * var(--_base));
    padding-top: var(--_space);
    border-top: 1px solid var(--_border);
  }
  .notices-form {
    display: grid;
    gap: var(--_space);
    max-width: calc(36 * var(--_base));
  }
  .notices-form .field {
    display: grid;
    gap: calc(0.25 * var(--_base));
  }
  .notices-form .input {
    max-width: 100%;
  }
  .notices-status:empty {
    display: none;
  }
  .notices-active {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(0.5 * var(--_base));
  }
  .notices-active li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.5 * var(--_base)) var(--_base);
  }
  .notices-active p {
    overflow-wrap: anywhere;
    font-weight: 700;
  }
  .notices-active p:focus {
    outline: none;
  }
`;
