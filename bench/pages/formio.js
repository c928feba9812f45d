// The page script for Form.io: @formio/js (Formio.createForm) and the same 20-field form.
/* global document */
import { Formio } from '@formio/js';
import json from '../forms/formio.json';

Formio.createForm(document.getElementById('app'), json);
