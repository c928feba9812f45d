// The 20-field form and its rating as every consult-kit bench page shows them (the size and DOM
// pages with the embed bundled in, the load page with the embed as shipped).
/* global document */

/** Puts the form with `config` and the star rating under #app. */
export function mountForm(config) {
  const form = document.createElement('consult-topic-form');
  form.setAttribute('db-name', `bench-${Math.random().toString(36).slice(2)}`);
  form.config = config;
  const rating = document.createElement('consult-star-rating');
  rating.setAttribute('name', 'satisfaction');
  rating.setAttribute('scale', '5');
  rating.setAttribute('legend', config.form.pages[0].fields.length === 19 ? '您对议题征集的满意度' : '');
  document.getElementById('app').append(form, rating);
}
