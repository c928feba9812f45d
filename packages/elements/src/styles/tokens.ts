/**
 * Shared styles. Global theme tokens are `--consult-*` (set them on the page or any ancestor);
 * component knobs are unprefixed custom properties on `:host`. Large text for older residents
 * (`large-text` attribute or `--consult-font-scale`), forced colours and reduced motion are
 * handled here once.
 */
import { css } from 'lit';

export const hostStyles = css`
  /*
   * Sizes come from --consult-font-size (16px), never from the page's root font size: a portal's
   * html { font-size: 62.5% } or * { font: 12px serif } must not shrink a resident's form. The
   * inherited text properties are set !important on the host, because a portal's global rules
   * match the host element itself and would otherwise win over :host; layout (margin, width,
   * display) stays the portal's to set. Theme through the --consult-* tokens.
   */
  :host {
    --_base: var(--consult-font-size, 16px);
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
    --_space: var(--consult-space, var(--_base));
    display: block;
    box-sizing: border-box !important;
    font-family: var(--_font) !important;
    font-size: calc(var(--_base) * var(--_scale)) !important;
    font-style: normal !important;
    font-weight: 400 !important;
    font-variant: normal !important;
    font-stretch: normal !important;
    font-feature-settings: normal !important;
    font-kerning: auto !important;
    line-height: 1.5 !important;
    letter-spacing: normal !important;
    word-spacing: normal !important;
    text-transform: none !important;
    text-indent: 0 !important;
    text-align: start !important;
    text-shadow: none !important;
    white-space: normal !important;
    word-break: normal !important;
    overflow-wrap: break-word !important;
    hyphens: manual !important;
    cursor: auto !important;
    color: var(--_text) !important;
    -webkit-text-fill-color: currentcolor !important;
    background: var(--_bg);
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
