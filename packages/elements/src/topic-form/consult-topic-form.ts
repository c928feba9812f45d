import { defineElement } from '../base/consult-element.js';
import { ConsultTopicForm } from './topic-form.component.js';

defineElement('consult-topic-form', ConsultTopicForm);

declare global {
  interface HTMLElementTagNameMap {
    'consult-topic-form': ConsultTopicForm;
  }
}
