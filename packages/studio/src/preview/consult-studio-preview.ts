/** Defines `<consult-studio-preview>` (the live preview; the shell loads this module on demand). */
import { ConsultStudioPreviewStepper } from './preview-stepper.js';
import { ConsultStudioPreview } from './preview.component.js';

export { ConsultStudioPreview, ConsultStudioPreviewStepper };

if (!customElements.get('consult-studio-preview-stepper')) customElements.define('consult-studio-preview-stepper', ConsultStudioPreviewStepper);
if (!customElements.get('consult-studio-preview')) customElements.define('consult-studio-preview', ConsultStudioPreview);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-preview': ConsultStudioPreview;
    'consult-studio-preview-stepper': ConsultStudioPreviewStepper;
  }
}
