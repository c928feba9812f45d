/**
 * Styles of `<consult-sign-in>`: one column, controls at least 44 px high (the shared form
 * controls), a notice marked by a bar and said in words (never by colour alone),
 * forced colours and large text through the shared tokens.
 */
import { css } from 'lit';

export const signInStyles = css`
  :host {
    --input-max-width: calc(28 * var(--_base));
    --notice-color: var(--_error);
  }

  .base {
    display: grid;
    gap: var(--_space);
    max-width: calc(40 * var(--_base));
  }

  .heading {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.3;
  }

  p {
    margin: 0;
  }

  .hint {
    color: var(--_muted);
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .notice {
    border-inline-start: 5px solid var(--notice-color);
    padding: calc(0.5 * var(--_base)) calc(0.75 * var(--_base));
    font-weight: 700;
    display: grid;
    gap: calc(0.5 * var(--_base));
    justify-items: start;
  }

  .notice--info {
    border-inline-start-color: var(--_primary);
    font-weight: 400;
  }

  .provider {
    display: grid;
    gap: calc(0.5 * var(--_base));
    justify-items: start;
  }

  .provider .hint {
    margin: 0;
  }

  .or {
    display: flex;
    align-items: center;
    gap: calc(0.75 * var(--_base));
    color: var(--_muted);
  }

  .or::before,
  .or::after {
    content: '';
    flex: 1 1 auto;
    border-top: 1px solid var(--_border);
  }

  .token-form {
    display: grid;
    gap: calc(0.75 * var(--_base));
    justify-items: start;
  }

  .token-form .field {
    width: 100%;
  }

  .head {
    display: grid;
    gap: calc(0.5 * var(--_base));
  }

  .who {
    font-weight: 700;
  }

  .who:focus {
    outline: none;
  }

  .who:focus-visible {
    outline: 3px solid var(--_focus);
  }

  @media (forced-colors: active) {
    .notice,
    .notice--info {
      border-inline-start-color: CanvasText;
    }
    .or::before,
    .or::after {
      border-top-color: CanvasText;
    }
  }
`;
