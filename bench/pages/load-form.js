// The load section's page script for consult-kit (bench/load.mjs): the 20-field form of the other
// form pages, set on <consult-topic-form> and <consult-star-rating>, with the embed NOT bundled in:
// the page loads packages/embed/dist as shipped (`<script type="module" src="/assets/consult-kit.min.js">`
// before this one), as a city's portal does, so its chunks and preloads are what is measured.
import config from '../forms/consult-kit.json';
import { mountForm } from './form-page.js';

mountForm(config);
