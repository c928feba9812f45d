/**
 * Shared styles. Global theme tokens are `--consult-*` (set them on the page or any ancestor);
 * component knobs are unprefixed custom properties on `:host`. Large text for older residents
 * (`large-text` attribute or `--consult-font-scale`), forced colours and reduced motion are
 * handled here once.
 */
import { css } from 'lit';

export const hostStyles = css`
  :host {
    --_scale: var(--consult-font-scale, 1);
    --_font: var(--consult-font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif);
    --_text: var(--consult-color-text, #1b1b1b);
    --_muted: var(--consult-color-muted, #505a5f);
    --_bg: var(--consult-color-background, #ffffff);
    --_primary: var(--consult-color-primary, #a8071a);
    --_primary-text: var(--consult-color-on-primary, #ffffff);
    --_border: var(--consult-color-border, #6b7378);
    --_error: var(--consult-color-error, #b3261e);
    --_success: var(--consult-color-success, #0b6e3d);
    --_focus: var(--consult-color-focus, #ffbf47);
    --_focus-text: var(--consult-color-focus-text, #0b0c0c);
    --_radius: var(--consult-radius, 4px);
    --_space: var(--consult-space, 1rem);
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: calc(1rem * var(--_scale));
    line-height: 1.5;
    color: var(--_text);
    background: var(--_bg);
    text-align: start;
  }
  :host([large-text]) {
    --_scale: var(--consult-font-scale-large, 1.25);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
    box-shadow: 0 0 0 5px var(--_focus-text);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: 0 !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    border: 0 !important;
    white-space: nowrap !important;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
  @media (forced-colors: active) {
    :focus-visible {
      outline-color: Highlight;
      box-shadow: none;
    }
  }
`;
