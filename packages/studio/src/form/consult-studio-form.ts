/** Registers `<consult-studio-form>` (guarded: a second copy on the page does not throw). */
import { ConsultStudioForm } from './form.component.js';

if (!customElements.get('consult-studio-form')) customElements.define('consult-studio-form', ConsultStudioForm);

export { ConsultStudioForm };
