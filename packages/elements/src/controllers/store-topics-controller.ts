/**
 * Follows the topics of `<consult-workflow>`'s store (from `storeContext`) for elements that show
 * figures across topics. The store is stable; its `topics` map is replaced whenever the log
 * changes, so the host re-renders only when that reference changes. Unsubscribes on disconnect
 * and never closes the store (it is not ours).
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';
import type { ConsultStore } from '@consult-kit/store';
import { storeContext } from '../context/consultation-context.js';

/** What the controller uses of a store. */
export type TopicsStore = Pick<ConsultStore, 'topics' | 'config' | 'subscribe'>;

export class StoreTopicsController implements ReactiveController {
  private store: TopicsStore | undefined;
  private unsubscribe: (() => void) | undefined;
  /** The store's topics as of its last notification; `undefined` outside a workflow. */
  topics: ReadonlyMap<string, TopicSnapshot> | undefined;

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
    new ContextConsumer(host, {
      context: storeContext,
      subscribe: true,
      callback: (store) => this.setStore(store),
    });
  }

  /** The store's config (party labels, stage labels, rating scale). */
  get config(): WorkflowConfig | undefined {
    return this.store?.config;
  }

  private setStore(store: TopicsStore | undefined): void {
    if (store === this.store) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.store = store;
    this.topics = undefined;
    if (store) this.listen(store);
    this.host.requestUpdate();
  }

  private listen(store: TopicsStore): void {
    this.unsubscribe = store.subscribe(() => this.take(store));
    this.take(store);
  }

  private take(store: TopicsStore): void {
    const topics = store.topics;
    if (topics === this.topics) return;
    this.topics = topics;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.store && !this.unsubscribe) this.listen(this.store);
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
