/**
 * The page of notices-real-server.test.ts (bundled by esbuild from the sources): a resident's
 * "my topics" (`?view=mine`, the store pulling only followed topics, the follow code added by
 * `window.page.follow(code)`) or the supervisor's list (`?view=overdue`, with a staff token), both
 * against the reference server.
 */
import '../../src/my-topics/consult-my-topics.js';
import '../../src/overdue-list/consult-overdue-list.js';
import { httpTransport, openStore } from '@consult-kit/store';
import type { ConsultMyTopics } from '../../src/my-topics/my-topics.component.js';
import type { ConsultOverdueList } from '../../src/overdue-list/overdue-list.component.js';

const query = new URLSearchParams(location.search);
const endpoint = query.get('endpoint')!;
const programme = query.get('programme')!;
const lang = query.get('lang') ?? 'zh-CN';
const selected: Array<{ topicId: string; measureId?: string }> = [];

async function start(): Promise<void> {
  if (query.get('view') === 'overdue') {
    const list = document.createElement('consult-overdue-list') as ConsultOverdueList;
    list.setAttribute('lang', lang);
    list.setAttribute('endpoint', endpoint);
    list.setAttribute('programme', programme);
    const token = query.get('token');
    if (token) list.token = token;
    list.addEventListener('consult-topic-select', (e) => selected.push(e.detail));
    document.querySelector('main')!.append(list);
    (window as unknown as { page: unknown }).page = { selected, setToken: (t: string) => (list.token = t) };
    return;
  }
  const config = (await (await fetch(`${endpoint}/programmes/${programme}/config`)).json()) as { id: string };
  const store = await openStore({
    config,
    transport: httpTransport({ endpoint, programmeId: programme }),
    dbName: query.get('db') ?? 'notices',
    pullScope: 'followed',
    pullIntervalMs: 0,
  });
  const mine = document.createElement('consult-my-topics') as ConsultMyTopics;
  mine.setAttribute('lang', lang);
  mine.store = store;
  document.querySelector('main')!.append(mine);
  (window as unknown as { page: unknown }).page = {
    follow: (code: string) => store.follow(code),
    optIns: async (topicId: string) => JSON.parse(JSON.stringify(await store.noticeSubscriptions(topicId))) as unknown,
    /** Everything this device keeps in IndexedDB, as text (to search it for an address). */
    deviceBytes: () =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.open(query.get('db') ?? 'notices');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const names = [...db.objectStoreNames];
          if (names.length === 0) return resolve('');
          const tx = db.transaction(names, 'readonly');
          const parts: unknown[] = [];
          for (const name of names) {
            const all = tx.objectStore(name).getAll();
            all.onsuccess = () => parts.push(name, all.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(JSON.stringify(parts));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  };
}

void start().then(() => {
  document.body.dataset.ready = 'true';
});
