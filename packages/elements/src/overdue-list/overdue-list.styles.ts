/**
 * Styles of `<consult-overdue-list>`: a table with column headers when the element is wide, a
 * list of cards when it is narrow (a container query on the element's own width, so a phone
 * at 390 px and a narrow side column both get cards; the other form is `display: none`, out of
 * the accessibility tree), the overdue mark as icon and words (never colour alone), targets at
 * least 44 px, forced colours and large text through the shared tokens.
 */
import { css } from 'lit';

export const overdueListStyles = css`
  :host {
    container-type: inline-size;
  }

  .intro,
  .as-of {
    color: var(--_muted);
    margin-bottom: calc(0.5 * var(--_base));
  }

  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_base);
    align-items: end;
    margin: var(--_space) 0;
  }

  .control {
    display: grid;
    gap: calc(0.25 * var(--_base));
    min-inline-size: min(100%, calc(14 * var(--_base)));
  }

  .input {
    max-width: none;
  }

  .count {
    font-weight: 700;
    margin-bottom: calc(0.5 * var(--_base));
  }

  .button--link {
    border-color: transparent;
    color: var(--_primary);
    font-weight: 400;
    text-decoration: underline;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base));
    margin-top: var(--_space);
  }

  .message {
    padding: var(--_space);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    margin-top: var(--_space);
  }

  .message--error {
    border-color: var(--_error);
  }

  .message--error p {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .empty {
    padding: var(--_space);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
  }

  .empty-title {
    display: flex;
    align-items: center;
    gap: calc(0.4 * var(--_base));
    font-weight: 700;
    color: var(--_success);
    margin-bottom: calc(0.25 * var(--_base));
  }

  .overdue {
    display: inline-flex;
    align-items: center;
    gap: calc(0.3 * var(--_base));
    font-weight: 700;
    color: var(--overdue-color);
    white-space: nowrap;
  }

  .icon {
    inline-size: 1.15em;
    block-size: 1.15em;
    flex: none;
  }

  .measure {
    overflow-wrap: anywhere;
  }

  .topic-link {
    display: inline-block;
    min-block-size: calc(1.75 * var(--_base));
    padding-block: calc(0.125 * var(--_base));
    color: var(--_primary);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
    font-weight: 700;
  }

  .topic-button {
    padding-inline: 0;
    border: 0;
    background: none;
    font: inherit;
    font-weight: 700;
    text-align: start;
    cursor: pointer;
  }

  /* ── Wide: the table ──────────────────────────────────────────────────────────────────── */

  .table-wrap {
    overflow-x: auto;
  }

  .table {
    inline-size: 100%;
    border-collapse: collapse;
  }

  .table th,
  .table td {
    padding: calc(0.5 * var(--_base));
    border-bottom: 1px solid var(--_border);
    text-align: start;
    vertical-align: top;
  }

  .table thead th {
    font-weight: 700;
    border-bottom-width: 2px;
  }

  .table tbody th {
    font-weight: 400;
  }

  /* ── Narrow: the cards ────────────────────────────────────────────────────────────────── */

  .cards {
    display: none;
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .card {
    padding: calc(0.75 * var(--_base)) var(--_base);
    border: 1px solid var(--_border);
    border-inline-start: 6px solid var(--overdue-color);
    border-radius: var(--_radius);
    margin-bottom: calc(0.75 * var(--_base));
  }

  .card p {
    margin-bottom: calc(0.25 * var(--_base));
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(8 * var(--_base))), 1fr));
    gap: calc(0.375 * var(--_base)) var(--_base);
    margin: calc(0.5 * var(--_base)) 0 0;
  }

  @container (max-width: 36em) {
    .table-wrap {
      display: none;
    }
    .cards {
      display: block;
    }
  }

  @media (forced-colors: active) {
    .card {
      border-inline-start-color: CanvasText;
    }
  }
`;
