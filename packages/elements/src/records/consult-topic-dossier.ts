import { defineElement } from '../base/consult-element.js';
import { ConsultTopicDossier } from './topic-dossier.component.js';

defineElement('consult-topic-dossier', ConsultTopicDossier);

declare global {
  interface HTMLElementTagNameMap {
    'consult-topic-dossier': ConsultTopicDossier;
  }
}
