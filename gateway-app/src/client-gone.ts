/**
 * Tells the upstream side that the client went away. A tiny stand-in for AbortSignal: on the
 * hot path an AbortController and EventTarget listeners per request cost measurable throughput.
 */
export class ClientGone {
  private gone = false;
  /** Usually one (the upstream call in flight), so a lazily made array rather than a Set. */
  private listeners?: (() => void)[];

  get aborted(): boolean {
    return this.gone;
  }

  /** Calls `listener` once when the client goes away (at once if it already has). */
  onAbort(listener: () => void): void {
    if (this.gone) listener();
    else (this.listeners ??= []).push(listener);
  }

  offAbort(listener: () => void): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index !== -1) this.listeners!.splice(index, 1);
  }

  abort(): void {
    if (this.gone) return;
    this.gone = true;
    const listeners = this.listeners ?? [];
    this.listeners = undefined;
    for (const listener of listeners) listener();
  }

  /** Bridges a web AbortSignal (in-process requests have no Node response to watch). */
  static fromSignal(signal: AbortSignal): ClientGone {
    const gone = new ClientGone();
    if (signal.aborted) gone.abort();
    else signal.addEventListener("abort", () => gone.abort(), { once: true });
    return gone;
  }
}
