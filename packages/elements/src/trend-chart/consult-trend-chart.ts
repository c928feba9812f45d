import { defineElement } from '../base/consult-element.js';
import { ConsultTrendChart } from './trend-chart.component.js';

defineElement('consult-trend-chart', ConsultTrendChart);

declare global {
  interface HTMLElementTagNameMap {
    'consult-trend-chart': ConsultTrendChart;
  }
}
