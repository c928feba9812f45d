/** Defines `<consult-studio-json>` (the JSON pane; the shell loads this module on demand). */
import { ConsultStudioJson } from './json.component.js';

export { ConsultStudioJson };

if (!customElements.get('consult-studio-json')) customElements.define('consult-studio-json', ConsultStudioJson);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-json': ConsultStudioJson;
  }
}
