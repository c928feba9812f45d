/** Defines `<consult-studio>`, the studio's shell (a second copy on the page does not throw). */
import { ConsultStudio } from './shell/studio.component.js';

if (!customElements.get('consult-studio')) customElements.define('consult-studio', ConsultStudio);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio': ConsultStudio;
  }
}
