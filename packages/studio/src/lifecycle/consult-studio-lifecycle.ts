/** Registers `<consult-studio-lifecycle>` (guarded: a second copy on the page does not throw). */
import { ConsultStudioLifecycle } from './lifecycle.component.js';

if (!customElements.get('consult-studio-lifecycle')) customElements.define('consult-studio-lifecycle', ConsultStudioLifecycle);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-lifecycle': ConsultStudioLifecycle;
  }
}

export { ConsultStudioLifecycle };
