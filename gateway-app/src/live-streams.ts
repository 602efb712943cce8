/**
 * The streams being relayed, so that shutdown can end the ones still alive when the grace period
 * is over with an error event (and account for them) instead of a bare TCP reset.
 */
export class LiveStreams {
  private readonly live = new Set<() => void>();

  get size(): number {
    return this.live.size;
  }

  /** Registers a stream's interrupter; returns its unregistration. */
  add(interrupt: () => void): () => void {
    this.live.add(interrupt);
    return () => this.live.delete(interrupt);
  }

  /** Interrupts every live stream; returns how many there were. */
  interruptAll(): number {
    const all = [...this.live];
    this.live.clear();
    for (const interrupt of all) interrupt();
    return all.length;
  }
}
