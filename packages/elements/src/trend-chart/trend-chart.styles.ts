import { css } from 'lit';

export const trendChartStyles = css`
  :host {
    --series-resident-color: var(--_primary);
    --series-member-color: #1f5fa8;
    --series-government-color: #6a3d9a;
    --series-grid-color: #7a5200;
    --series-open311-color: #00695c;
    --line-color: var(--_text);
    --on-time-color: var(--_success);
    --late-color: var(--_error);
    min-width: 0;
  }

  .base {
    display: grid;
    gap: calc(1.5 * var(--_space));
  }

  .chart {
    margin: 0;
    min-width: 0;
  }

  .title {
    font-weight: 700;
    font-size: 1.125em;
    line-height: 1.3;
    margin: 0 0 calc(0.25 * var(--_base));
  }

  .summary {
    margin: 0 0 calc(0.5 * var(--_base));
  }

  .svg {
    display: block;
    max-width: 100%;
    height: auto;
    overflow: visible;
    /* The chart keeps its own colours: forced colours get system colours below, pattern by pattern. */
    forced-color-adjust: none;
    border-radius: var(--_radius);
  }

  .tick,
  .axis-title {
    font-size: calc(0.8125 * var(--_base) * var(--_scale));
    fill: var(--_muted);
  }

  .axis-title {
    font-weight: 700;
    fill: var(--_text);
  }

  .grid {
    stroke: #c8ccce;
    stroke-width: 1;
  }

  .axis {
    stroke: var(--_text);
    stroke-width: 1;
  }

  .bar {
    stroke: var(--_bg);
    stroke-width: 1;
  }

  .pbg {
    fill: var(--_fill);
  }
  .series--resident {
    --_fill: var(--series-resident-color);
  }
  .series--member {
    --_fill: var(--series-member-color);
  }
  .series--government {
    --_fill: var(--series-government-color);
  }
  .series--grid {
    --_fill: var(--series-grid-color);
  }
  .series--open311 {
    --_fill: var(--series-open311-color);
  }
  .series--onTime {
    --_fill: var(--on-time-color);
  }
  .series--late {
    --_fill: var(--late-color);
  }

  .pmark {
    stroke: #ffffff;
    stroke-width: 1.5;
    fill: none;
  }

  .pmark--dot {
    fill: #ffffff;
    stroke: none;
  }

  .line {
    fill: none;
    stroke: var(--line-color);
    stroke-width: 2.5;
    stroke-linejoin: round;
  }

  /* A band of the background under each line, so it stays visible where it crosses a bar. */
  .halo {
    fill: none;
    stroke: var(--_bg);
    stroke-width: 6;
    stroke-linejoin: round;
  }

  .line--solved {
    stroke-dasharray: 6 4;
  }

  .point {
    fill: var(--line-color);
    stroke: var(--_bg);
    stroke-width: 1.5;
  }

  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: calc(0.25 * var(--_base)) calc(1 * var(--_base));
    list-style: none;
    margin: calc(0.5 * var(--_base)) 0 0;
    padding: 0;
    font-size: 0.9375em;
  }

  .legend li {
    display: inline-flex;
    align-items: center;
    gap: calc(0.375 * var(--_base));
  }

  .swatch {
    flex: none;
    overflow: visible;
    forced-color-adjust: none;
  }

  .swatch .bar {
    stroke: var(--_text);
  }

  .data {
    margin-top: calc(0.5 * var(--_base));
  }

  .data > summary {
    cursor: pointer;
    min-height: calc(2.75 * var(--_base));
    display: flex;
    align-items: center;
    color: var(--_primary);
    text-decoration: underline;
  }

  .table-scroll {
    overflow-x: auto;
    max-width: 100%;
  }

  table {
    border-collapse: collapse;
    min-width: 100%;
    font-size: 0.9375em;
  }

  caption {
    text-align: start;
    font-weight: 700;
    padding-bottom: calc(0.25 * var(--_base));
  }

  th,
  td {
    padding: calc(0.25 * var(--_base)) calc(0.5 * var(--_base));
    border-bottom: 1px solid var(--_border);
    text-align: end;
    white-space: nowrap;
  }

  th[scope='row'],
  thead th:first-child {
    text-align: start;
  }

  .notice {
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
  }

  .notice--alert {
    border: 2px solid var(--_error);
    display: grid;
    gap: calc(0.5 * var(--_base));
    justify-items: start;
  }

  @media (forced-colors: active) {
    .tick,
    .axis-title {
      fill: CanvasText;
    }
    .grid {
      stroke: GrayText;
    }
    .axis,
    .bar,
    .swatch .bar {
      stroke: CanvasText;
    }
    .pbg {
      fill: Canvas;
    }
    .pbg--solid {
      fill: CanvasText;
    }
    .pmark {
      stroke: CanvasText;
    }
    .pmark--dot {
      fill: CanvasText;
    }
    .line {
      stroke: CanvasText;
    }
    .halo {
      stroke: Canvas;
    }
    .point {
      fill: CanvasText;
      stroke: Canvas;
    }
    .data > summary {
      color: LinkText;
    }
  }
`;
