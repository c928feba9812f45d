import { defineElement } from '../base/consult-element.js';
import { ConsultPerformanceFile } from './performance-file.component.js';

defineElement('consult-performance-file', ConsultPerformanceFile);

declare global {
  interface HTMLElementTagNameMap {
    'consult-performance-file': ConsultPerformanceFile;
  }
}
