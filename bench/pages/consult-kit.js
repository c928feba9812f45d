// The page script for consult-kit: the whole embed (every consult-* tag) and the 20-field form.
import '@consult-kit/embed';
import config from '../forms/consult-kit.json';
import { mountForm } from './form-page.js';

mountForm(config);
