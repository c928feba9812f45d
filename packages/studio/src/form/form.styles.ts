/** The form editor's own look, after `studioStyles`: cards that stack on a phone, pairs of languages side by side when there is room. */
import { css } from 'lit';

export const formStyles = css`
  label {
    display: block;
    font-weight: 600;
  }

  .control {
    margin: 0.5rem 0;
    min-width: 0;
  }

  .control input:not([type='checkbox']),
  .control select,
  .control textarea {
    width: 100%;
  }

  .check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    margin: 0.5rem 0;
  }

  .check label {
    font-weight: 400;
  }

  .hint {
    margin: 0.125rem 0 0.25rem;
    color: var(--studio-muted);
    font-size: 0.875rem;
  }

  .error {
    margin: 0.25rem 0;
    padding-left: 0.5rem;
    border-left: 4px solid var(--studio-error);
    color: var(--studio-error);
    font-weight: 600;
  }

  .note {
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--studio-accent);
    background: var(--studio-panel);
  }

  pre {
    margin: 0.5rem 0;
    padding: 0.5rem;
    background: var(--studio-panel);
    overflow-x: auto;
    white-space: pre-wrap;
    word-break: break-word;
    font-size: 0.875rem;
  }

  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
    gap: 0 0.75rem;
  }

  .page {
    margin: 1rem 0;
    border: 2px solid var(--studio-line);
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
  }

  .head,
  .summary,
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }

  .head h3 {
    flex: 1 1 12rem;
    margin: 0;
  }

  .toggle {
    width: 100%;
    text-align: start;
    border-color: transparent;
    background: transparent;
    font-weight: 600;
  }

  .toggle::before {
    content: '▸ ';
  }

  .toggle[aria-expanded='true']::before {
    content: '▾ ';
  }

  .summary .toggle::before {
    content: none;
  }

  .summary .toggle .label::before {
    content: '▸ ';
  }

  .summary .toggle[aria-expanded='true'] .label::before {
    content: '▾ ';
  }

  .summary .toggle {
    flex: 1 1 12rem;
    width: auto;
    display: flex;
    flex-direction: column;
    align-items: flex-start;
  }

  .toggle .meta {
    font-weight: 400;
    font-size: 0.875rem;
    color: var(--studio-muted);
  }

  .toggle .bad {
    color: var(--studio-error);
    font-weight: 600;
  }

  .handle {
    cursor: grab;
    user-select: none;
    padding: 0.5rem 0.25rem;
    font-size: 1.25rem;
    color: var(--studio-muted);
  }

  .card {
    margin: 0.5rem 0;
    border: 1px solid var(--studio-line);
    border-radius: 4px;
    padding: 0.25rem 0.5rem;
    background: var(--studio-bg);
  }

  .card.readonly {
    border-style: dashed;
  }

  .drop-target {
    outline: 3px dashed var(--studio-accent);
    outline-offset: 2px;
  }

  .details {
    padding: 0.25rem 0 0.5rem;
  }

  .row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
    gap: 0 0.5rem;
    align-items: end;
    border-top: 1px solid var(--studio-line);
    padding-top: 0.25rem;
  }

  .row > button {
    justify-self: start;
    margin-bottom: 0.5rem;
  }

  .option {
    border-top: 1px solid var(--studio-line);
    padding: 0.25rem 0;
  }

  section.extra {
    margin: 1.5rem 0;
  }

  @media (forced-colors: active) {
    .drop-target {
      outline-color: Highlight;
    }
    .error {
      border-left-color: CanvasText;
    }
  }
`;
