/** The look the lifecycle, settings, permissions and translations panes share, after `studioStyles`. */
import { css } from 'lit';

export const kitStyles = css`
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  label,
  .label {
    display: block;
    font-weight: 600;
    margin: 0;
  }

  .control {
    margin: 0.5rem 0;
    min-width: 0;
  }

  .control input:not([type='checkbox']):not([type='radio']),
  .control select {
    width: 100%;
  }

  .control.number input {
    width: 8rem;
  }

  .with-unit {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }

  .langs {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    gap: 0 1rem;
  }

  .check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    margin: 0.5rem 0;
  }

  .check input {
    flex: none;
    margin-top: 0.125rem;
  }

  .check label {
    font-weight: 400;
  }

  .hint {
    margin: 0.125rem 0 0.25rem;
    color: var(--studio-muted);
    font-size: 0.875rem;
  }

  .warning {
    margin: 0.25rem 0;
    padding-left: 0.5rem;
    border-left: 4px solid #8a5a00;
    color: #5c3c00;
  }

  .error {
    margin: 0.25rem 0;
    padding-left: 0.5rem;
    border-left: 4px solid var(--studio-error);
    color: var(--studio-error);
  }

  .error .muted {
    color: var(--studio-muted);
  }

  .error-mark {
    font-weight: 700;
  }

  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.5rem 0;
  }

  .item {
    border: 1px solid var(--studio-line);
    border-radius: 4px;
    padding: 0.5rem 0.75rem;
    margin: 0.5rem 0;
    background: var(--studio-bg);
  }

  .item[draggable='true'] {
    cursor: grab;
  }

  .item.drop-target {
    outline: 3px dashed var(--studio-accent);
  }

  .badge {
    display: inline-block;
    padding: 0 0.375rem;
    border: 1px solid var(--studio-muted);
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 400;
    color: var(--studio-muted);
    vertical-align: middle;
  }

  pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--studio-panel);
    padding: 0.5rem;
    border-radius: 4px;
    margin: 0.25rem 0;
    font-size: 0.875rem;
  }

  @media (forced-colors: active) {
    .error,
    .warning {
      border-left-color: CanvasText;
    }
  }
`;
