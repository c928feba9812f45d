import { defineElement } from '../base/consult-element.js';
import { ConsultMyTopics } from './my-topics.component.js';
// The rating it offers.
import '../star-rating/consult-star-rating.js';

defineElement('consult-my-topics', ConsultMyTopics);

declare global {
  interface HTMLElementTagNameMap {
    'consult-my-topics': ConsultMyTopics;
  }
}
