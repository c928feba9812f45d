/** Defines `<consult-studio-diagram>` (the lifecycle diagram; the shell loads this module on demand). */
import { ConsultStudioDiagram } from './diagram.component.js';

export { ConsultStudioDiagram };

if (!customElements.get('consult-studio-diagram')) customElements.define('consult-studio-diagram', ConsultStudioDiagram);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-diagram': ConsultStudioDiagram;
  }
}
