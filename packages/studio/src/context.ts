/** The document every pane of one studio edits, provided by `<consult-studio>` through @lit/context. */
import { createContext } from '@lit/context';
import type { StudioDocument } from './document.js';

export const documentContext = createContext<StudioDocument | undefined>(Symbol('consult-studio-document'));
