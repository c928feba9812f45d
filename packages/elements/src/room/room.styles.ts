/**
 * Styles of `<consult-room>`: the room's facts as a grid of terms, the grade line (stars and
 * words side by side, wrapping on phones), the tables with their headers; on a narrow element
 * (a phone at 390 px, a side column) the wide tables (the rooms, the figures) stack each row as a
 * card whose cells name their column (`data-label`), so nothing scrolls sideways. Stars are
 * drawn and said in words (never colour alone); forced colours and large text through the tokens.
 */
import { css } from 'lit';

export const roomStyles = css`
  :host {
    container-type: inline-size;
  }

  .heading:focus {
    outline: none;
  }

  .heading:focus-visible {
    outline: 3px solid var(--_focus);
  }

  .intro,
  .count {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .intro {
    color: var(--_muted);
  }

  .count {
    font-weight: 700;
  }

  .subheading {
    font-size: 1.125em;
    line-height: 1.3;
    margin: calc(1.5 * var(--_base)) 0 calc(0.5 * var(--_base));
  }

  .minorheading {
    font-size: 1em;
    margin: var(--_space) 0 calc(0.5 * var(--_base));
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(14 * var(--_base))), 1fr));
    gap: calc(0.5 * var(--_base)) var(--_space);
    margin: 0;
  }

  .facts .wide {
    grid-column: 1 / -1;
  }

  .person {
    display: inline-flex;
    flex-direction: column;
  }

  .person-name {
    font-weight: 700;
  }

  .person-title {
    font-size: 0.875em;
    color: var(--_muted);
  }

  .plain-list {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .members {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, calc(12 * var(--_base))), 1fr));
    gap: calc(0.5 * var(--_base)) var(--_space);
  }

  .links {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.5 * var(--_base)) var(--_space);
    list-style: none;
    margin: var(--_space) 0 0;
    padding: 0;
  }

  a {
    color: var(--_primary);
    text-underline-offset: 0.15em;
  }

  .links a {
    display: inline-block;
    min-block-size: calc(1.75 * var(--_base));
    padding-block: calc(0.125 * var(--_base));
    font-weight: 700;
  }

  .grade-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(0.5 * var(--_base)) var(--_space);
  }

  .status {
    font-weight: 700;
  }

  .status--open {
    color: var(--_muted);
  }

  .star-glyphs {
    letter-spacing: 0.05em;
    white-space: nowrap;
  }

  .earned {
    white-space: nowrap;
  }

  .thresholds {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0 calc(0.75 * var(--_base));
    font-size: 0.875em;
  }

  .thresholds .reached {
    font-weight: 700;
  }

  .thresholds .reached::before {
    content: '✓ ';
  }

  .plain {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .plain li + li {
    margin-top: calc(0.25 * var(--_base));
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

  .back {
    margin-bottom: calc(0.5 * var(--_base));
  }

  .room-link {
    display: inline-block;
    min-block-size: calc(1.75 * var(--_base));
    padding-block: calc(0.125 * var(--_base));
    color: var(--_primary);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
    font-weight: 700;
  }

  .link-button {
    padding-inline: 0;
    border: 0;
    background: none;
    font: inherit;
    font-weight: 700;
    text-align: start;
    cursor: pointer;
  }

  /* ── Tables ───────────────────────────────────────────────────────────────────────────── */

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
    font-weight: 700;
  }

  .table .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  /* Narrow: each row of the wide tables is a card; each cell names its column. */
  @container (max-width: 36em) {
    .rooms thead,
    .figures thead {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    .rooms tr,
    .figures tr {
      display: block;
      padding: calc(0.5 * var(--_base)) 0;
      border-bottom: 1px solid var(--_border);
    }

    .rooms th,
    .rooms td,
    .figures th,
    .figures td {
      display: block;
      border: 0;
      padding: calc(0.25 * var(--_base)) 0;
    }

    .rooms td::before,
    .figures td::before {
      content: attr(data-label) ': ';
      font-weight: 700;
      color: var(--_muted);
    }

    .rooms .num,
    .figures .num {
      text-align: start;
    }
  }

  @media (forced-colors: active) {
    .status--open {
      color: CanvasText;
    }
  }
`;
