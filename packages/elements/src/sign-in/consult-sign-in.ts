import { defineElement } from '../base/consult-element.js';
import { ConsultSignIn } from './sign-in.component.js';

defineElement('consult-sign-in', ConsultSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'consult-sign-in': ConsultSignIn;
  }
}
