import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "../src/server.js";
import { sleep } from "./support/fake-upstream.js";
import { startTestGateway, type TestGateway } from "./support/harness.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({});
});
afterAll(() => gw.gateway.shutdown());

/** One GET on a given keep-alive agent: its status and whether it went over a reused connection. */
function get(agent: http.Agent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${gw.url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
    });
    req.on("error", reject);
  });
}

describe("keep-alive towards Kong", () => {
  // The served values are proven by the reuse after 59 s below (the compiled server runs in its own process).
  it("keeps idle connections longer than Kong's 60 s upstream idle timeout, headers timeout above it", () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBe(75_000);
    expect(HEADERS_TIMEOUT_MS).toBe(76_000);
  });

  // As Kong does: a pooled connection reused after 6 s (past Node's default 5 s) and after 59 s
  // (just inside Kong's 60 s). Both run at once, so the test takes a minute, not a minute more.
  it("serves a request on a connection reused after 6 s and after 59 s idle", { timeout: 75_000 }, async () => {
    const reuseAfter = async (idleMs: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await get(agent);
        await sleep(idleMs);
        return [first, await get(agent)];
      } finally {
        agent.destroy();
      }
    };
    const [six, fiftyNine] = await Promise.all([reuseAfter(6_000), reuseAfter(59_000)]);
    expect(six).toEqual([
      { status: 200, reused: false },
      { status: 200, reused: true },
    ]);
    expect(fiftyNine).toEqual([
      { status: 200, reused: false },
      { status: 200, reused: true },
    ]);
  });
});
