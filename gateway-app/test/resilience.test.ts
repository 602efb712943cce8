import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/upstream/circuit-breaker.js";
import { declinedUnrun, parseRetryAfter, retryDelayMs, retryLaterDelayMs } from "../src/upstream/retry.js";
import { MetadataTokenSource } from "../src/upstream/vertex-token.js";
import { FakeUpstream, json } from "./support/fake-upstream.js";

describe("retry delays", () => {
  it("honours Retry-After in seconds and as a date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", () => now)).toBe(3000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("gives up rather than wait for a Retry-After beyond the limit", () => {
    expect(retryDelayMs(0, "120", { maxRetryAfterMs: 10_000 })).toBeUndefined();
    expect(retryDelayMs(0, "3", { maxRetryAfterMs: 10_000 })).toBe(3000);
  });

  it("retries an answer only when it is a 429 or 503 that says when, within the limit", () => {
    expect(retryLaterDelayMs(429, "2")).toBe(2000);
    expect(retryLaterDelayMs(503, "0.5")).toBe(500);
    expect(retryLaterDelayMs(503, "120", { maxRetryAfterMs: 10_000 })).toBeUndefined();
    expect(retryLaterDelayMs(429, undefined)).toBeUndefined();
    expect(retryLaterDelayMs(503, "soon")).toBeUndefined();
    for (const status of [500, 502, 504]) expect(retryLaterDelayMs(status, "1")).toBeUndefined();
  });

  it("takes a 429, or a 503 that says when, as an upstream that did not run the request, and any other error as one that may have", () => {
    expect(declinedUnrun(429, undefined)).toBe(true);
    expect(declinedUnrun(503, "120")).toBe(true);
    expect(declinedUnrun(503, undefined)).toBe(false);
    for (const status of [500, 502, 504]) expect(declinedUnrun(status, "1")).toBe(false);
  });

  it("jitters exponentially up to the cap", () => {
    expect(retryDelayMs(0, undefined, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(retryDelayMs(3, undefined, { baseMs: 100, random: () => 1 })).toBe(800);
    expect(retryDelayMs(10, undefined, { baseMs: 100, capMs: 2000, random: () => 1 })).toBe(2000);
    expect(retryDelayMs(3, undefined, { baseMs: 100, random: () => 0.25 })).toBe(200);
  });
});

describe("circuit breaker", () => {
  function breaker() {
    let now = 0;
    const states: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => now, onStateChange: (s) => states.push(s) });
    return { b, states, advance: (ms: number) => (now += ms) };
  }

  it("opens after consecutive failures and refuses until the cool-down is over", () => {
    const { b, states, advance } = breaker();
    b.recordFailure();
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure();
    expect(b.current).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(states).toEqual(["open", "half_open"]);
  });

  it("lets one probe through when half-open; success closes, failure reopens", () => {
    const { b, advance } = breaker();
    b.recordFailure();
    b.recordFailure();
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.recordFailure();
    expect(b.current).toBe("open");
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.recordSuccess();
    expect(b.current).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
  });

  it("resets the failure count on success", () => {
    const { b } = breaker();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    expect(b.current).toBe("closed");
  });
});

describe("metadata token source", () => {
  it("caches the token and refreshes it before expiry, once for concurrent callers", async () => {
    const metadata = new FakeUpstream();
    const url = await metadata.start();
    let issued = 0;
    metadata.always((_req, res) => json(res, 200, { access_token: `token-${++issued}`, expires_in: 3600 }));
    let now = 1_000_000;
    const source = new MetadataTokenSource({ metadataBaseUrl: url, now: () => now, refreshBeforeMs: 300_000 });
    try {
      const [a, b] = await Promise.all([source.token(), source.token()]);
      expect([a, b]).toEqual(["token-1", "token-1"]);
      now += 3_000_000; // 50 minutes: still more than 5 minutes left
      expect(await source.token()).toBe("token-1");
      now += 301_000; // less than 5 minutes left
      expect(await source.token()).toBe("token-2");
      expect(metadata.received).toHaveLength(2);
    } finally {
      await metadata.stop();
    }
  });

  it("reports an unusable answer", async () => {
    const metadata = new FakeUpstream();
    const url = await metadata.start();
    metadata.always((_req, res) => json(res, 200, { nope: true }));
    try {
      await expect(new MetadataTokenSource({ metadataBaseUrl: url }).token()).rejects.toThrow(/unusable token/);
    } finally {
      await metadata.stop();
    }
  });
});

describe("buffered log sink", () => {
  it("writes the lines that arrive within the delay together, in order, and flushes on demand", async () => {
    const { bufferedSink } = await import("../src/logger.js");
    const writes: string[] = [];
    const buffered = bufferedSink((chunk) => writes.push(chunk), { maxDelayMs: 30 });
    buffered.sink("a\n");
    await new Promise((r) => setTimeout(r, 5));
    buffered.sink("b\n");
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 40));
    expect(writes).toEqual(["a\nb\n"]);
    buffered.sink("c\n");
    buffered.flush();
    buffered.flush();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    await new Promise((r) => setTimeout(r, 40));
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("writes at once when the pending lines pass the size limit", async () => {
    const { bufferedSink } = await import("../src/logger.js");
    const writes: string[] = [];
    const buffered = bufferedSink((chunk) => writes.push(chunk), { maxDelayMs: 10_000, maxChars: 10 });
    buffered.sink("12345\n");
    expect(writes).toEqual([]);
    buffered.sink("67890\n");
    expect(writes).toEqual(["12345\n67890\n"]);
  });
});
