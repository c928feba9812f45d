/**
 * The studio's shared look: system fonts, 44 px targets, a visible focus ring, errors marked by a
 * bar and text (never colour alone), forced-colours safe. Panes add their own styles after these.
 */
import { css } from 'lit';

export const studioStyles = css`
  :host {
    --studio-text: #1b1b1b;
    --studio-muted: #505050;
    --studio-bg: #fff;
    --studio-panel: #f3f4f6;
    --studio-line: #8a8a8a;
    --studio-accent: #0b5cad;
    --studio-error: #b00020;
    --studio-focus: #ffbf47;
    color: var(--studio-text);
    font: 16px/1.5 system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;
  }

  *, *::before, *::after {
    box-sizing: border-box;
  }

  button, input, select, textarea {
    font: inherit;
    color: inherit;
  }

  button {
    min-height: 44px;
    min-width: 44px;
    padding: 0.25rem 0.75rem;
    border: 2px solid var(--studio-text);
    border-radius: 4px;
    background: var(--studio-bg);
    cursor: pointer;
  }

  button.primary {
    background: var(--studio-accent);
    border-color: var(--studio-accent);
    color: #fff;
  }

  button[disabled] {
    opacity: 0.55;
    cursor: not-allowed;
  }

  input:not([type='checkbox']):not([type='radio']), select, textarea {
    min-height: 44px;
    padding: 0.375rem 0.5rem;
    border: 2px solid var(--studio-line);
    border-radius: 4px;
    background: var(--studio-bg);
    max-width: 100%;
  }

  input[type='checkbox'], input[type='radio'] {
    width: 24px;
    height: 24px;
    accent-color: var(--studio-accent);
  }

  :focus-visible {
    outline: 3px solid var(--studio-focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 5px var(--studio-text);
  }

  [aria-invalid='true'] {
    border-color: var(--studio-error);
    border-left-width: 6px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }

  .muted {
    color: var(--studio-muted);
  }

  @media (forced-colors: active) {
    button.primary {
      border-color: ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;

/** An editing pane's block, headings, plain lists and groups of controls (the form, lifecycle, settings, permissions and translations panes). */
export const paneStyles = css`
  :host {
    display: block;
  }

  h2,
  h3,
  h4 {
    margin: 0.5rem 0;
    line-height: 1.3;
  }

  h2 {
    font-size: 1.375rem;
  }

  h3 {
    font-size: 1.125rem;
  }

  h4 {
    font-size: 1rem;
  }

  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  fieldset {
    border: 1px solid var(--studio-line);
    border-radius: 4px;
    margin: 0.75rem 0;
    padding: 0.5rem 0.75rem 0.75rem;
    min-width: 0;
  }

  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
`;

/** A side pane's grid and its headings (the preview and the diagram, beside the editor). */
export const sidePaneStyles = css`
  .pane {
    display: grid;
    gap: 0.75rem;
    min-width: 0;
  }

  h2,
  h3 {
    margin: 0;
    line-height: 1.3;
  }

  h2 {
    font-size: 1.25rem;
  }

  h3 {
    font-size: 1.0625rem;
  }

  p {
    margin: 0;
  }
`;
