/**
 * Icons the programme reports share: drawn in `currentColor` on a 24-unit grid, always beside
 * words that say the same (never the only sign), hidden from assistive technology.
 */
import { html, svg, type TemplateResult } from 'lit';

/** A warning triangle: overdue. */
export const warningIcon = svg`<path d="M12 2.8 1.6 21h20.8L12 2.8z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"></path><path d="M12 9.5v5.5M12 17.2v1.6" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"></path>`;

/** A ticked circle: adopted, or nothing overdue. */
export const tickIcon = svg`<circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M8 12.5l3 3 5-6" fill="none" stroke="currentColor" stroke-width="2"></path>`;

/** The `<svg class="icon">` that holds one of them. */
export const icon = (content: TemplateResult): TemplateResult =>
  html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${content}</svg>`;
