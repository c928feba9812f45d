// Define every consult-* tag BEFORE Vue creates the elements, so Vue sees their properties.
import '@consult-kit/embed';
import { createApp } from 'vue';
import { App } from './App.js';
import './app.css';

createApp(App).mount('#app');
