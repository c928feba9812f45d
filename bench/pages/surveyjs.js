// The page script for SurveyJS: survey-core + survey-js-ui and the same 20-field form.
/* global document */
import { Model, renderSurvey } from 'survey-js-ui';
import json from '../forms/surveyjs.json';

renderSurvey(new Model(json), document.getElementById('app'));
