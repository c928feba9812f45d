// The page script for consult-kit: the whole embed (every consult-* tag) and the 20-field form.
/* global document */
import '@consult-kit/embed';
import config from '../forms/consult-kit.json';

const app = document.getElementById('app');
const form = document.createElement('consult-topic-form');
form.setAttribute('db-name', `bench-${Math.random().toString(36).slice(2)}`);
form.config = config;
const rating = document.createElement('consult-star-rating');
rating.setAttribute('name', 'satisfaction');
rating.setAttribute('scale', '5');
rating.setAttribute('legend', config.form.pages[0].fields.length === 19 ? '您对议题征集的满意度' : '');
app.append(form, rating);
