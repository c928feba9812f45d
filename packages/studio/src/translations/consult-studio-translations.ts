/** Registers `<consult-studio-translations>` (guarded: a second copy on the page does not throw). */
import { ConsultStudioTranslations } from './translations.component.js';

if (!customElements.get('consult-studio-translations')) customElements.define('consult-studio-translations', ConsultStudioTranslations);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-translations': ConsultStudioTranslations;
  }
}

export { ConsultStudioTranslations };
