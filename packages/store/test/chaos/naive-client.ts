/**
 * Negative control 2: a naive offline queue, the way many service-worker recipes write one.
 * It keeps entries in localStorage, takes an entry *off the queue before sending it*, and does
 * not put it back when the send fails (network error, 503, a reload mid-request). The chaos
 * harness must report what it loses; if it does not, the harness is blind.
 */
import type { ChaosClient, ClientStatus, WireEntry } from './page.js';
import type { TopicEvent } from '../../src/store.types.js';

const QUEUE_KEY = 'consult-kit-chaos-naive-queue';

function load(): WireEntry[] {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '[]') as WireEntry[];
  } catch {
    return [];
  }
}

function save(queue: WireEntry[]): void {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
}

/** The naive client; `eventsUrl` is `…/api/programmes/<id>/events`. */
export function naiveClient(eventsUrl: string): ChaosClient {
  let sending = false;
  let lastError: string | undefined;

  const flush = async (): Promise<void> => {
    if (sending) return;
    sending = true;
    try {
      for (let i = 0; i < 1000; i += 1) {
        const queue = load();
        const entry = queue.shift();
        if (!entry) break;
        save(queue); // removed before it is sent, and never put back
        try {
          const res = await fetch(eventsUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': entry.id },
            body: JSON.stringify(entry),
          });
          if (!res.ok) lastError = `HTTP ${res.status}`;
        } catch (error) {
          lastError = String(error);
        }
      }
    } finally {
      sending = false;
    }
  };

  const status = (): ClientStatus => ({
    pending: load().length,
    sending,
    online: navigator.onLine,
    conflicts: 0,
    lastError,
  });

  const timer = setInterval(() => void flush(), 100);
  addEventListener('online', () => void flush());
  addEventListener('pagehide', () => clearInterval(timer));

  return {
    kind: 'naive',
    async append(topicId: string, event: TopicEvent) {
      const { by, at, ...body } = event;
      const entry: WireEntry = { id: crypto.randomUUID(), topicId, event: body, by, at };
      save([...load(), entry]); // localStorage writes are synchronous: "saved"
      void flush();
      return { ok: true, id: entry.id, savedOn: 'localStorage' };
    },
    status,
    async drain(timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        await flush();
        if (load().length === 0 && !sending) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return status();
    },
    async outboxSize() {
      return load().length;
    },
    confirmedSize: () => null,
  };
}
