import { ConsultStudioVersions } from './versions.js';

if (!customElements.get('consult-studio-versions')) customElements.define('consult-studio-versions', ConsultStudioVersions);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-versions': ConsultStudioVersions;
  }
}
