/**
 * A minimal typed event hub: `on` returns an unsubscribe function, and a throwing subscriber is
 * reported to `onError` instead of breaking the emitter (a buggy UI hook must not stop the
 * listener from counting attempts or locking an invitation).
 */
export class TypedEvents<M extends { [K in keyof M]: unknown }> {
  private readonly subs = new Map<keyof M, Set<(payload: never) => void>>();

  constructor(private readonly onError: (event: string, err: unknown) => void = () => {}) {}

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends keyof M>(event: E, cb: (payload: M[E]) => void): () => void {
    let set = this.subs.get(event);
    if (!set) this.subs.set(event, (set = new Set()));
    const entry = cb as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Calls every subscriber of `event` synchronously. */
  emit<E extends keyof M>(event: E, payload: M[E]): void {
    for (const cb of [...(this.subs.get(event) ?? [])]) {
      try {
        (cb as (p: M[E]) => void)(payload);
      } catch (e) {
        this.onError(String(event), e);
      }
    }
  }
}
