import { css } from 'lit';

export const starRatingStyles = css`
  :host {
    /* Component knobs (unprefixed, on :host). */
    --star-size: calc(2.25 * var(--_base) * var(--_scale));
    --star-color: var(--consult-color-star, #b25e00);
    --star-empty-color: var(--consult-color-star-empty, #6b7378);
    --star-gap: calc(0.25 * var(--_base));
    display: block;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  legend {
    padding: 0;
    margin-block-end: calc(0.5 * var(--_base));
    font-weight: 700;
  }
  .stars {
    display: flex;
    flex-wrap: wrap;
    gap: var(--star-gap);
    align-items: flex-start;
  }
  .star {
    position: relative;
    flex: 0 1 auto;
  }
  .star input {
    /* The native radio stays in the accessibility tree and the tab order; the label draws it. */
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  label {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    min-inline-size: 44px;
    min-block-size: 44px;
    padding: 2px;
    border-radius: var(--_radius);
    cursor: pointer;
    color: var(--star-empty-color);
  }
  .star.filled label {
    color: var(--star-color);
  }
  .star input:focus-visible + label {
    outline: 3px solid var(--_focus);
    box-shadow: 0 0 0 5px var(--_focus-text);
  }
  .star input:disabled + label {
    cursor: not-allowed;
    opacity: 0.6;
  }
  svg,
  ::slotted(*) {
    inline-size: var(--star-size);
    block-size: var(--star-size);
  }
  svg {
    display: block;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.5;
  }
  .filled svg,
  .full svg {
    fill: currentColor;
  }
  .half .fill {
    fill: currentColor;
  }
  .caption {
    font-size: 0.875em;
    color: var(--_muted);
    max-inline-size: 6em;
    text-align: center;
  }
  .chosen {
    margin-block-start: calc(0.25 * var(--_base));
    font-weight: 700;
    min-block-size: 1.5em;
  }
  .average {
    display: inline-flex;
    align-items: center;
    gap: calc(0.5 * var(--_base));
    flex-wrap: wrap;
  }
  .average .star {
    color: var(--star-empty-color);
  }
  .average .full,
  .average .half {
    color: var(--star-color);
  }
  .average svg {
    inline-size: calc(var(--star-size) * 0.6);
    block-size: calc(var(--star-size) * 0.6);
  }
  .slot-holder {
    display: none;
  }
  @media (forced-colors: active) {
    label,
    .average .star {
      color: CanvasText;
      forced-color-adjust: none;
    }
    .star.filled label,
    .average .full,
    .average .half {
      color: Highlight;
    }
    .star input:focus-visible + label {
      outline-color: Highlight;
    }
  }
`;
