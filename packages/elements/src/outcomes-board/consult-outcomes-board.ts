import { defineElement } from '../base/consult-element.js';
import { ConsultOutcomesBoard } from './outcomes-board.component.js';

defineElement('consult-outcomes-board', ConsultOutcomesBoard);

declare global {
  interface HTMLElementTagNameMap {
    'consult-outcomes-board': ConsultOutcomesBoard;
  }
}
