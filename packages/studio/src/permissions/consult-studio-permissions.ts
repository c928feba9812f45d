/** Registers `<consult-studio-permissions>` (guarded: a second copy on the page does not throw). */
import { ConsultStudioPermissions } from './permissions.component.js';

if (!customElements.get('consult-studio-permissions')) customElements.define('consult-studio-permissions', ConsultStudioPermissions);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-permissions': ConsultStudioPermissions;
  }
}

export { ConsultStudioPermissions };
