import { css } from 'lit';

export const workflowStyles = css`
  :host {
    --nav-gap: calc(0.25 * var(--_base));
  }
  .base {
    display: grid;
    gap: var(--_space);
  }
  nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--nav-gap);
    margin: 0;
    padding: 0;
    list-style: none;
    border-block-end: 2px solid var(--_border);
  }
  nav button {
    min-block-size: 44px;
    padding: calc(0.5 * var(--_base)) var(--_base);
    border: 0;
    border-block-end: 4px solid transparent;
    background: none;
    color: var(--_primary);
    font: inherit;
    font-weight: 700;
    cursor: pointer;
  }
  nav button[aria-current='page'] {
    border-block-end-color: var(--_primary);
    color: var(--_text);
  }
  .search {
    display: grid;
    gap: calc(0.25 * var(--_base));
    max-inline-size: 40rem;
  }
  .search-row {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
  }
  .search-row .input {
    flex: 1 1 16rem;
    inline-size: auto;
  }
  .search-note,
  .search .error-message {
    margin: 0;
  }
  .notice {
    margin: 0;
    padding: calc(0.75 * var(--_base)) var(--_base);
    border-inline-start: 5px solid var(--_primary);
    background: var(--consult-color-notice-background, #f3f2f1);
  }
  .notice.warning {
    border-inline-start-color: var(--_error);
  }
  h2 {
    margin: 0;
    font-size: 1.375em;
  }
  h2:focus {
    outline: none;
  }
  .topics {
    display: grid;
    gap: calc(0.5 * var(--_base));
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .topics button {
    display: grid;
    gap: calc(0.125 * var(--_base));
    inline-size: 100%;
    min-block-size: 44px;
    padding: calc(0.75 * var(--_base)) var(--_base);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  .topics .title {
    color: var(--_primary);
    font-weight: 700;
    text-decoration: underline;
  }
  .topics .meta {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .back {
    justify-self: start;
    min-block-size: 44px;
    padding: calc(0.5 * var(--_base)) 0;
    border: 0;
    background: none;
    color: var(--_primary);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .problem {
    padding: var(--_base);
    border: 4px solid var(--_error);
  }
  .indexed {
    display: grid;
    gap: var(--_base);
  }
  .index-filters,
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.5 * var(--_base));
  }
  .index-filters .input {
    inline-size: auto;
  }
  .count,
  .hint {
    margin: 0;
  }
  .count:focus {
    outline: none;
  }
  .identity {
    margin: 0;
    font-weight: 600;
  }
  .sign-in.panel,
  .refused {
    display: grid;
    gap: calc(0.75 * var(--_base));
    padding: var(--_base);
    border: 4px solid var(--_error);
  }
  .sign-in.panel p,
  .refused p {
    margin: 0;
  }
  .sign-in.panel .reason,
  .refused .detail {
    color: var(--_muted);
  }
  .panel-actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
  }
  .refused-list {
    display: grid;
    gap: var(--_base);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .refused-item {
    display: grid;
    gap: calc(0.25 * var(--_base));
    padding-block-start: calc(0.75 * var(--_base));
    border-block-start: 1px solid var(--_border);
  }
  .config-errors code {
    font-family: ui-monospace, monospace;
  }
  @media (forced-colors: active) {
    nav button[aria-current='page'] {
      border-block-end-color: Highlight;
    }
  }
`;
