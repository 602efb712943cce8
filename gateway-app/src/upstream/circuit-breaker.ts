export type BreakerState = "closed" | "open" | "half_open";

/** Numeric state for the gateway_circuit_breaker_state gauge. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe is let through. */
  readonly cooldownMs: number;
  readonly now?: () => number;
  readonly onStateChange?: (state: BreakerState) => void;
}

/**
 * Stops sending to an upstream that keeps failing, so requests fail fast (or fall back)
 * instead of waiting for timeouts, and lets one probe through after a cool-down.
 */
export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get current(): BreakerState {
    return this.state;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when it is not open). */
  get msUntilProbe(): number {
    return this.state === "open" ? Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  /** Whether a request may go out now; in half-open state only one probe at a time. */
  tryAcquire(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open") {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition("half_open");
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.state !== "closed") this.transition("closed");
  }

  recordFailure(): void {
    this.failures += 1;
    this.probeInFlight = false;
    if (this.state === "half_open" || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      if (this.state !== "open") this.transition("open");
    }
  }

  /** The attempt ended without telling us anything about the upstream (the client left). */
  release(): void {
    this.probeInFlight = false;
  }

  private transition(state: BreakerState): void {
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
