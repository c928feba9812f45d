/**
 * Subscribes a host element to an actor it does not own and re-renders it only when the
 * selected slice changes. It unsubscribes on disconnect and never stops the actor.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface Subscribable<S> {
  getSnapshot(): S;
  subscribe(observer: (snapshot: S) => void): { unsubscribe(): void };
}

export class ActorController<S, T> implements ReactiveController {
  private subscription: { unsubscribe(): void } | undefined;
  private actor: Subscribable<S> | undefined;
  /** The selected slice, current as of the last snapshot. */
  value: T | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly select: (snapshot: S) => T,
    private readonly equals: (a: T | undefined, b: T) => boolean = Object.is,
  ) {
    host.addController(this);
  }

  /** Follows another actor (or none). */
  setActor(actor: Subscribable<S> | undefined): void {
    if (actor === this.actor) return;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.actor = actor;
    if (actor) this.listen(actor);
  }

  private listen(actor: Subscribable<S>): void {
    this.take(actor.getSnapshot());
    this.subscription = actor.subscribe((snapshot) => this.take(snapshot));
  }

  private take(snapshot: S): void {
    const next = this.select(snapshot);
    if (this.equals(this.value, next)) return;
    this.value = next;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.actor && !this.subscription) this.listen(this.actor);
  }

  hostDisconnected(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
