import { defineElement } from '../base/consult-element.js';
import { ConsultReportExports } from './report-exports.component.js';

defineElement('consult-report-exports', ConsultReportExports);

declare global {
  interface HTMLElementTagNameMap {
    'consult-report-exports': ConsultReportExports;
  }
}
