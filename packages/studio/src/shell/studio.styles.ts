/** The shell's layout: one column on a phone, editor beside preview and diagram on a wide screen. */
import { css } from 'lit';

export const shellStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    background: var(--studio-bg);
  }
  :host([hidden]) {
    display: none;
  }
  .studio {
    position: relative;
    display: grid;
    gap: 0.75rem;
    padding: 0.5rem;
  }
  .studio.dragging {
    outline: 4px dashed var(--studio-accent);
    outline-offset: -4px;
  }
  .drop-hint {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    font-size: 1.5rem;
    font-weight: 600;
    background: rgb(255 255 255 / 0.85);
    pointer-events: none;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    padding: 0.5rem;
    background: var(--studio-panel);
    border-bottom: 2px solid var(--studio-line);
  }
  .toolbar h1 {
    font-size: 1.25rem;
    margin: 0 auto 0 0;
    flex: 1 1 12rem;
    overflow-wrap: anywhere;
  }
  .toolbar .state {
    flex: 1 1 100%;
    order: 1;
    font-size: 0.9375rem;
  }
  .notice {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    padding: 0.5rem 0.75rem;
    border-left: 6px solid var(--studio-accent);
    background: var(--studio-panel);
  }
  .notice.error {
    border-left-color: var(--studio-error);
  }
  .notice p {
    margin: 0;
    flex: 1 1 16rem;
  }
  .layout {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(0, 1fr);
  }
  @container (min-width: 60rem) {
    .layout {
      grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr);
      align-items: start;
    }
    .side {
      grid-column: 2;
      grid-row: 1 / span 2;
      position: sticky;
      top: 0;
    }
    .toolbar .state {
      flex: 0 1 auto;
      order: 0;
    }
  }
  [role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    border-bottom: 2px solid var(--studio-line);
    margin-bottom: 0.5rem;
  }
  [role='tab'] {
    border-width: 2px 2px 0;
    border-radius: 4px 4px 0 0;
    background: var(--studio-panel);
  }
  [role='tab'][aria-selected='true'] {
    background: var(--studio-bg);
    border-color: var(--studio-accent);
    font-weight: 600;
    box-shadow: inset 0 4px 0 var(--studio-accent);
  }
  .panel[hidden] {
    display: none;
  }
  .pane-failed {
    border-left: 6px solid var(--studio-error);
    padding: 0.5rem 0.75rem;
    background: var(--studio-panel);
  }
  .start,
  .offer {
    display: grid;
    gap: 1rem;
    max-width: 60rem;
  }
  .start h2,
  .offer h2 {
    margin: 0;
    font-size: 1.375rem;
  }
  .start h3 {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
  }
  .start h4 {
    margin: 0;
    font-size: 1rem;
  }
  .cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
    grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
  }
  .cards button {
    width: 100%;
    height: 100%;
    display: grid;
    gap: 0.125rem;
    text-align: start;
    padding: 0.5rem 0.75rem;
  }
  .choice,
  .token-form {
    display: grid;
    gap: 0.375rem;
    justify-items: start;
    padding: 0.75rem;
    border: 1px solid var(--studio-line);
    border-radius: 4px;
  }
  .choice p {
    margin: 0;
  }
  label {
    font-weight: 600;
  }
  .hint {
    font-size: 0.9375rem;
  }
  .field-error {
    color: var(--studio-error);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.75rem 0;
  }
  dialog {
    width: min(56rem, calc(100vw - 1rem));
    max-height: calc(100vh - 2rem);
    overflow: auto;
    border: 2px solid var(--studio-text);
    border-radius: 6px;
    padding: 1rem;
    color: var(--studio-text);
    background: var(--studio-bg);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.5);
  }
  dialog h2 {
    margin-top: 0;
    font-size: 1.25rem;
  }
  @media (forced-colors: active) {
    [role='tab'][aria-selected='true'] {
      border-color: Highlight;
    }
  }
`;
