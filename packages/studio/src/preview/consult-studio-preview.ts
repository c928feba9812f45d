/** Defines `<consult-studio-preview>` (the live preview; the shell loads this module on demand). */
import { ConsultStudioPreview } from './preview.component.js';

export { ConsultStudioPreview };

if (!customElements.get('consult-studio-preview')) customElements.define('consult-studio-preview', ConsultStudioPreview);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-preview': ConsultStudioPreview;
  }
}
