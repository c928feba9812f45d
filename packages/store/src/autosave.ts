/** Debounced draft autosave: the form calls `schedule` on every change; `flush` saves now (e.g. on `pagehide`). */
import type { ConsultStore } from './store.js';
import type { Draft } from './store.types.js';

export interface Autosave {
  schedule(draft: Omit<Draft, 'programmeId' | 'updatedAt'>): void;
  /** Saves what is scheduled now; resolves with whether it was stored. */
  flush(): Promise<boolean>;
  cancel(): void;
}

export function createAutosave(store: Pick<ConsultStore, 'saveDraft'>, delayMs = 800): Autosave {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next: Omit<Draft, 'programmeId' | 'updatedAt'> | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const draft = next;
    next = undefined;
    return draft ? store.saveDraft(draft) : true;
  };
  return {
    schedule(draft) {
      next = draft;
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), delayMs);
    },
    flush,
    cancel() {
      clearTimeout(timer);
      next = undefined;
    },
  };
}
