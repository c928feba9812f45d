/**
 * The page of real-server.test.ts (bundled by esbuild, one tab per device): the real store with
 * the http transport against the reference server, exposed as `window.ck` for the test to drive.
 */
import { stateName } from '@consult-kit/machine';
import { httpTransport, openStore, type ConsultStore, type TopicEvent } from '../../src/index.js';

let store: ConsultStore | undefined;
const opened = (): ConsultStore => {
  if (!store) throw new Error('call ck.open first');
  return store;
};

const ck = {
  async open(options: { endpoint: string; config: { id: string }; dbName: string; pullScope: 'programme' | 'followed' }): Promise<void> {
    store = await openStore({
      config: options.config,
      transport: httpTransport({ endpoint: options.endpoint, programmeId: options.config.id }),
      dbName: options.dbName,
      pullIntervalMs: 0,
      pullScope: options.pullScope,
      backoff: { baseMs: 50, maxMs: 200 },
    });
  },
  async append(topicId: string, event: TopicEvent) {
    const result = await opened().append(topicId, event);
    return result.ok ? { ok: true as const, id: result.entry.id } : { ok: false as const, code: result.refusal.code, message: result.refusal.message };
  },
  async settled(timeoutMs = 10_000): Promise<boolean> {
    const s = opened();
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (s.status.pending === 0 && !s.status.sending) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  },
  follow: (code: string) => opened().follow(code),
  refresh: (topicId: string) => opened().refreshTopic(topicId),
  sync: () => opened().sync(),
  followed: () => JSON.parse(JSON.stringify(opened().followedTopics)) as unknown,
  state: (topicId: string) => {
    const topic = opened().topics.get(topicId);
    return topic ? stateName(topic) : null;
  },
  topicIds: () => [...opened().topics.keys()],
  log: () => JSON.parse(JSON.stringify(opened().log)) as unknown,
  status: () => ({ ...opened().status }),
  conflicts: () => opened().conflicts.map((e) => ({ id: e.id, type: e.entry.event.type, conflict: e.conflict })),
};

(window as unknown as { ck: typeof ck }).ck = ck;
document.body.dataset.ready = 'true';
