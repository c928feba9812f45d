// The load section's page script for consult-kit (bench/load.mjs): the 20-field form of the other
/* global document */
// form pages, set on <consult-topic-form> and <consult-star-rating>, with the embed NOT bundled in:
// the page loads packages/embed/dist as shipped (`<script type="module" src="/assets/consult-kit.min.js">`
// before this one), as a city's portal does, so its chunks and preloads are what is measured.
import config from '../forms/consult-kit.json';

const app = document.getElementById('app');
const form = document.createElement('consult-topic-form');
form.setAttribute('db-name', `bench-${Math.random().toString(36).slice(2)}`);
form.config = config;
const rating = document.createElement('consult-star-rating');
rating.setAttribute('name', 'satisfaction');
rating.setAttribute('scale', '5');
rating.setAttribute('legend', '您对议题征集的满意度');
app.append(form, rating);
