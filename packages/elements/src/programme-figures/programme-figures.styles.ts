/**
 * Styles of `<consult-programme-figures>`: cards in a grid that wraps from one column on a phone,
 * big numbers with their labels, bars drawn by SVG rects (sized by attributes, never inline
 * styles), overdue marked by text and icon as well as colour, tables that fit a phone, forced
 * colours and large text through the shared tokens. The heading and the `--overdue-color` knob
 * are `reportStyles`.
 */
import { css } from 'lit';

export const programmeFiguresStyles = css`
  :host {
    --bar-color: var(--_primary);
    --bar-track-color: var(--consult-color-track, #e6e8ea);
    --card-min-width: calc(10 * var(--_base));
  }

  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--card-min-width)), 1fr));
    gap: calc(0.75 * var(--_base));
    margin: 0 0 calc(var(--_space) * 1.5);
  }

  .card {
    display: flex;
    flex-direction: column;
    gap: calc(0.375 * var(--_base));
    padding: calc(0.875 * var(--_base)) var(--_base);
    border: 1px solid var(--_border);
    border-top: 4px solid var(--bar-color);
    border-radius: var(--_radius);
    background: var(--_bg);
    min-width: 0;
  }

  .label {
    margin: 0;
    font-size: 1em;
    font-weight: 700;
    line-height: 1.35;
  }

  .value {
    font-size: 2.25em;
    font-weight: 700;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }

  .value--none {
    font-size: 1.25em;
    color: var(--_muted);
  }

  .unit {
    font-size: 0.5em;
    font-weight: 400;
    color: var(--_muted);
  }

  .caption {
    color: var(--_muted);
    font-size: 0.9375em;
  }

  .card--alert {
    border-top-color: var(--overdue-color);
  }

  .card--alert .value,
  .card--alert .status {
    color: var(--overdue-color);
  }

  .card--alert .status {
    font-weight: 700;
  }

  .card--ok .status {
    color: var(--_success);
  }

  .status {
    display: flex;
    align-items: flex-start;
    gap: calc(0.375 * var(--_base));
  }

  .icon {
    flex: none;
    inline-size: 1.2em;
    block-size: 1.2em;
    margin-top: 0.1em;
  }

  .chart {
    display: grid;
    gap: calc(0.25 * var(--_base));
  }

  .bar {
    display: block;
    inline-size: 100%;
    block-size: 0.875em;
    min-block-size: 10px;
  }

  .bar .track {
    fill: var(--bar-track-color);
  }

  .bar .fill {
    fill: var(--bar-color);
  }

  consult-star-rating {
    --star-size: calc(2 * var(--_base) * var(--_scale));
    background: transparent;
  }

  /* ── Topics by stage ──────────────────────────────────────────────────────────────────── */

  .stages {
    max-width: calc(52 * var(--_base));
    margin: 0 0 calc(var(--_space) * 1.5);
    padding: calc(0.875 * var(--_base)) var(--_base);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .stages-title {
    font-weight: 700;
    margin-bottom: calc(0.75 * var(--_base));
  }

  .stage-chart {
    gap: calc(0.5 * var(--_base));
  }

  .stage {
    display: grid;
    grid-template-columns: minmax(6em, 10em) 1fr minmax(2.5em, auto);
    align-items: center;
    gap: calc(0.75 * var(--_base));
  }

  .stage-label {
    overflow-wrap: anywhere;
  }

  .stage-count {
    font-weight: 700;
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  .stage--closed .fill {
    fill: var(--_success);
  }

  .stage--rejected .fill,
  .stage--merged .fill,
  .stage--redirected .fill,
  .stage--unresolved .fill {
    fill: var(--_muted);
  }

  @media (max-width: 30em) {
    .stage {
      grid-template-columns: 1fr auto;
      gap: calc(0.125 * var(--_base)) calc(0.75 * var(--_base));
    }
    .stage .bar {
      grid-column: 1 / -1;
      grid-row: 2;
    }
  }

  /* ── Tables ───────────────────────────────────────────────────────────────────────────── */

  .tables summary {
    display: inline-flex;
    align-items: center;
    min-height: calc(2.75 * var(--_base));
    padding: calc(0.25 * var(--_base)) calc(0.5 * var(--_base)) calc(0.25 * var(--_base)) 0;
    color: var(--_primary);
    text-decoration: underline;
    cursor: pointer;
  }

  table {
    border-collapse: collapse;
    width: 100%;
    max-width: calc(36 * var(--_base));
    margin: calc(0.5 * var(--_base)) 0 var(--_space);
  }

  caption {
    text-align: start;
    font-weight: 700;
    padding-bottom: calc(0.375 * var(--_base));
  }

  th,
  td {
    padding: calc(0.5 * var(--_base)) calc(0.75 * var(--_base)) calc(0.5 * var(--_base)) 0;
    border-bottom: 1px solid var(--_border);
    text-align: start;
    vertical-align: top;
  }

  td {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }

  thead th:last-child {
    text-align: end;
  }

  th[scope='row'] {
    font-weight: 400;
  }

  @media (forced-colors: active) {
    .bar .track {
      fill: Canvas;
      stroke: CanvasText;
      stroke-width: 0.5;
    }
    .bar .fill,
    .stage .fill {
      fill: CanvasText;
    }
    .card,
    .card--alert {
      border-top-color: CanvasText;
    }
  }

  /* Where the figures come from: the city server (and when) or this device; a warning when it is unreachable. */
  .origin {
    display: flex;
    align-items: center;
    gap: calc(0.4 * var(--_base));
    color: var(--_muted);
    margin: calc(-0.5 * var(--_space)) 0 var(--_space);
  }

  .origin--alert {
    color: var(--_text);
    font-weight: 700;
  }

  .origin .icon {
    inline-size: 1.15em;
    block-size: 1.15em;
    flex: none;
    color: var(--overdue-color);
  }

  /* The room the figures are of. */
  .room {
    font-weight: 700;
    margin: calc(-0.5 * var(--_space)) 0 var(--_space);
  }

  /* The month-by-month charts under the figures (loaded on demand). */
  .trends {
    margin-top: calc(1.5 * var(--_space));
  }

  .trends-title {
    font-size: 1.25em;
    line-height: 1.3;
    margin: 0 0 var(--_space);
  }
`;
