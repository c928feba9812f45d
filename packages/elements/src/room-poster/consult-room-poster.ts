import { defineElement } from '../base/consult-element.js';
import { ConsultRoomPoster } from './room-poster.component.js';

defineElement('consult-room-poster', ConsultRoomPoster);

declare global {
  interface HTMLElementTagNameMap {
    'consult-room-poster': ConsultRoomPoster;
  }
}
