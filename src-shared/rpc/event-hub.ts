import { events, isEventName, type EventName, type EventPayload } from '../contract/index';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/**
 * Main's outgoing events. Services emit; each connected page (over any transport) listens to all.
 * Payloads are validated against the contract at the source so a bad event is a bug found in tests.
 */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  constructor(private readonly onInvalid: (name: string, error: unknown) => void = () => {}) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) {
      this.onInvalid(name, new Error('unknown event'));
      return;
    }
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      this.onInvalid(name, parsed.error);
      return;
    }
    for (const l of [...this.listeners]) {
      try {
        l(name, parsed.data);
      } catch (e) {
        this.onInvalid(name, e);
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
