/** Registers `<consult-studio-settings>` (guarded: a second copy on the page does not throw). */
import { ConsultStudioSettings } from './settings.component.js';

if (!customElements.get('consult-studio-settings')) customElements.define('consult-studio-settings', ConsultStudioSettings);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-settings': ConsultStudioSettings;
  }
}

export { ConsultStudioSettings };
