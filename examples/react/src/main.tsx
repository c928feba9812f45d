// Define every consult-* tag BEFORE React creates the elements, so React sees their properties:
// the module build defines a tag when its element has loaded, and `load()` loads them now.
import { load } from '@consult-kit/embed';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './app.css';

await load();

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
