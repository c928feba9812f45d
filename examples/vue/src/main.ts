// Define every consult-* tag BEFORE Vue creates the elements, so Vue sees their properties:
// the module build defines a tag when its element has loaded, and `load()` loads them now.
import { load } from '@consult-kit/embed';
import { createApp } from 'vue';
import { App } from './App.js';
import './app.css';

await load();

createApp(App).mount('#app');
