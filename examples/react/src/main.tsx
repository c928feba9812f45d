// Define every consult-* tag BEFORE React creates the elements, so React sees their properties.
import '@consult-kit/embed';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './app.css';

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
