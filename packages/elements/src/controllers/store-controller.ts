/**
 * Follows a store for an element that shows what is in it: the element's own store if it has one
 * (the override), otherwise `<consult-workflow>`'s (from `storeContext`). Subscribes to the store
 * in use and re-renders the host whenever the store's `status.revision` moves (the log, the outbox
 * or a topic's state changed); a stand-in store that reports no revision re-renders it on every
 * notification. Unsubscribes on disconnect and never closes the store (it is not ours).
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { ConsultStore, StoreStatus } from '@consult-kit/store';
import { storeContext } from '../context/consultation-context.js';

/** The least a store must offer to be followed. */
export type FollowedStore = Pick<ConsultStore, 'subscribe'>;

export class StoreController<S extends FollowedStore = ConsultStore> implements ReactiveController {
  private fromContext: S | undefined;
  private followed: S | undefined;
  private unsubscribe: (() => void) | undefined;
  private revision: number | undefined;

  /**
   * @param host The element to re-render.
   * @param override The host's own store, read on each update; when it gives one, it wins over the context's.
   */
  constructor(
    private readonly host: ReactiveElement,
    private readonly override: () => S | undefined = () => undefined,
  ) {
    // The consumer first: on connect it hears from the workflow before this follows anything.
    new ContextConsumer(host, {
      context: storeContext,
      subscribe: true,
      callback: (store) => {
        this.fromContext = store as S | undefined;
        this.follow();
      },
    });
    host.addController(this);
  }

  /** The store in use: the host's own, else `<consult-workflow>`'s; `undefined` outside a workflow without one. */
  get store(): S | undefined {
    return this.override() ?? this.fromContext;
  }

  hostConnected(): void {
    this.follow();
  }

  /** Before each render: a new store given to the host is followed from this render on. */
  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.followed = undefined;
  }

  /** Subscribes to the store in use when it is another than the one followed (or none is followed yet). */
  private follow(): void {
    const store = this.store;
    if (store === this.followed && (this.unsubscribe || !store)) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.followed = store;
    this.revision = undefined;
    this.offset = undefined;
    if (store && this.host.isConnected) this.unsubscribe = store.subscribe((status?: StoreStatus) => this.changed(status));
    this.host.requestUpdate();
  }

  private changed(status: StoreStatus | undefined): void {
    const revision = status?.revision;
    // The server's clock moving (issue 17) changes "due in 3 days" without a new revision.
    const offset = status?.serverClockOffsetMs;
    if (revision !== undefined && revision === this.revision && offset === this.offset) return;
    this.revision = revision;
    this.offset = offset;
    this.host.requestUpdate();
  }

  private offset: number | undefined;
}
