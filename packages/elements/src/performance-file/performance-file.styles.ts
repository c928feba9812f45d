/**
 * Styles of `<consult-performance-file>`: the year picker, the tables (everyone's files; one
 * file's targets and counts), each target's mark as icon and words (never colour alone); on a
 * narrow element the table of everyone stacks each person as a card whose cells name their
 * column (`data-label`), so nothing scrolls sideways at 390 px. Forced colours and large text
 * through the shared tokens.
 */
import { css } from 'lit';

export const performanceFileStyles = css`
  :host {
    container-type: inline-size;
    --met-color: var(--_success);
    --not-met-color: var(--_muted);
  }

  .intro {
    color: var(--_muted);
    margin-bottom: calc(0.5 * var(--_base));
  }

  .year {
    display: grid;
    gap: calc(0.25 * var(--_base));
    margin: var(--_space) 0;
    max-inline-size: calc(10 * var(--_base));
  }

  .count {
    font-weight: 700;
    margin-bottom: calc(0.5 * var(--_base));
  }

  .subheading {
    font-size: 1.125em;
    line-height: 1.3;
    margin: calc(0.5 * var(--_base)) 0;
  }

  .subheading:focus {
    outline: none;
  }

  .minorheading {
    font-size: 1em;
    margin: var(--_space) 0 calc(0.5 * var(--_base));
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(12 * var(--_base))), 1fr));
    gap: calc(0.5 * var(--_base)) var(--_space);
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .summary {
    font-weight: 700;
  }

  .met-of,
  .mark {
    display: inline-flex;
    align-items: center;
    gap: calc(0.3 * var(--_base));
  }

  .met-of--all,
  .mark--met {
    color: var(--met-color);
    font-weight: 700;
  }

  .mark--not-met {
    color: var(--not-met-color);
  }

  .icon {
    inline-size: 1.15em;
    block-size: 1.15em;
    flex: none;
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

  .button--link {
    border-color: transparent;
    color: var(--_primary);
    font-weight: 400;
    text-decoration: underline;
    padding-inline: 0;
  }

  .person-link {
    display: inline-block;
    min-block-size: calc(1.75 * var(--_base));
    padding: calc(0.125 * var(--_base)) 0;
    border: 0;
    background: none;
    font: inherit;
    font-weight: 700;
    color: var(--_primary);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    text-align: start;
    cursor: pointer;
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

  .table .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  @container (max-width: 36em) {
    .people thead {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    .people tr {
      display: block;
      padding: calc(0.5 * var(--_base)) 0;
      border-bottom: 1px solid var(--_border);
    }

    .people th,
    .people td {
      display: block;
      border: 0;
      padding: calc(0.25 * var(--_base)) 0;
    }

    .people td::before {
      content: attr(data-label) ': ';
      font-weight: 700;
      color: var(--_muted);
    }
  }

  @media (forced-colors: active) {
    .met-of--all,
    .mark--met,
    .mark--not-met {
      color: CanvasText;
    }
  }
`;
