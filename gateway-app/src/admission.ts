import { GatewayError } from "./errors.js";

export interface AdmissionLimits {
  /** Model requests served at once by this process, streams included. */
  readonly maxRequests: number;
  /** Request body bytes held at once by this process (declared or received so far). */
  readonly maxBodyBytes: number;
}

/**
 * Bounds what clients can make one process hold, so that a burst of large bodies is answered
 * with 503 and `Retry-After` instead of growing the heap until V8 aborts the process and resets
 * every connection. Kong retries a 503 on another pod; the client SDKs retry it after the delay.
 */
export class Admission {
  private requests = 0;
  private bytes = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  get inFlightRequests(): number {
    return this.requests;
  }

  get inFlightBodyBytes(): number {
    return this.bytes;
  }

  /** Takes one request slot, or throws the 503 the client gets. */
  admitRequest(): void {
    if (this.requests >= this.limits.maxRequests)
      throw overloaded(`this instance is serving its limit of ${this.limits.maxRequests} requests (AI_GATEWAY_MAX_IN_FLIGHT_REQUESTS)`);
    this.requests += 1;
  }

  releaseRequest(): void {
    this.requests -= 1;
  }

  /** Reserves body bytes, or throws the 503 the client gets. */
  reserveBytes(count: number): void {
    if (this.bytes + count > this.limits.maxBodyBytes)
      throw overloaded(`this instance holds its limit of ${this.limits.maxBodyBytes} bytes of request bodies (AI_GATEWAY_MAX_IN_FLIGHT_BODY_BYTES)`);
    this.bytes += count;
  }

  releaseBytes(count: number): void {
    this.bytes -= count;
  }
}

function overloaded(why: string): GatewayError {
  return new GatewayError("overloaded", `The gateway is at capacity: ${why}; retry shortly`, { retryAfter: "1" });
}
