import { ConsultStudioErrors } from './errors.js';

if (!customElements.get('consult-studio-errors')) customElements.define('consult-studio-errors', ConsultStudioErrors);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-errors': ConsultStudioErrors;
  }
}
