import { defineElement } from '../base/consult-element.js';
import { ConsultOverdueList } from './overdue-list.component.js';

defineElement('consult-overdue-list', ConsultOverdueList);

declare global {
  interface HTMLElementTagNameMap {
    'consult-overdue-list': ConsultOverdueList;
  }
}
