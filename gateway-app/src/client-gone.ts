/**
 * Tells the upstream side that the client went away. A tiny stand-in for AbortSignal: on the
 * hot path an AbortController and EventTarget listeners per request cost measurable throughput.
 */
export class ClientGone {
  private gone = false;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.gone;
  }

  /** Calls `listener` once when the client goes away (at once if it already has). */
  onAbort(listener: () => void): void {
    if (this.gone) listener();
    else this.listeners.add(listener);
  }

  offAbort(listener: () => void): void {
    this.listeners.delete(listener);
  }

  abort(): void {
    if (this.gone) return;
    this.gone = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  /** Bridges a web AbortSignal (in-process requests have no Node response to watch). */
  static fromSignal(signal: AbortSignal): ClientGone {
    const gone = new ClientGone();
    if (signal.aborted) gone.abort();
    else signal.addEventListener("abort", () => gone.abort(), { once: true });
    return gone;
  }
}
