import { defineElement } from '../base/consult-element.js';
import { ConsultRoom } from './room.component.js';

defineElement('consult-room', ConsultRoom);

declare global {
  interface HTMLElementTagNameMap {
    'consult-room': ConsultRoom;
  }
}
