import { defineElement } from '../base/consult-element.js';
import { ConsultProgrammeFigures } from './programme-figures.component.js';

defineElement('consult-programme-figures', ConsultProgrammeFigures);

declare global {
  interface HTMLElementTagNameMap {
    'consult-programme-figures': ConsultProgrammeFigures;
  }
}
