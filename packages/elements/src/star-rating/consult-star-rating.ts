import { defineElement } from '../base/consult-element.js';
import { ConsultStarRating } from './star-rating.component.js';

defineElement('consult-star-rating', ConsultStarRating);

declare global {
  interface HTMLElementTagNameMap {
    'consult-star-rating': ConsultStarRating;
  }
}
