import { describe, expect, it } from "vitest";
import { boundForLog, createLogger } from "../src/logger.js";

describe("logger", () => {
  it("never throws: a field JSON cannot encode leaves the line without its fields", () => {
    const lines: string[] = [];
    const logger = createLogger(
      (line) => lines.push(line),
      () => 0,
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = "x";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => logger.info("request", { prompt: cycle })).not.toThrow();
    expect(() => logger.info("request", { prompt: deep, big: 1n })).not.toThrow();
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed[0]).toMatchObject({ msg: "request", log_error: expect.stringMatching(/^fields not serializable: /) });
    expect(parsed[1].prompt).toBeUndefined();
  });

  it("writes each line as the one JSON object of time, level, msg and the fields, at every millisecond and year", () => {
    let clock = 0;
    const lines: string[] = [];
    const logger = createLogger(
      (line) => lines.push(line),
      () => clock,
    );
    const instants = [
      0, 9, 10, 99, 100, 999, 1000, 1_796_306_670_466, 1_796_306_670_466.7, 1_796_306_670_999, 1_796_306_671_000, -1, 253_402_300_800_000,
    ];
    const fieldSets: Array<Record<string, unknown> | undefined> = [
      undefined,
      {},
      { request_id: "r-1", status: 200, latency_ms: 4.3, tenant: "bench", skipped: undefined },
      { msg: "renamed", time: "overridden", extra: true },
      { level: "debug" },
      { quote: 'say "hi"\n', unicode: "modèle 😀", nested: { deep: [1, null, "x"] } },
    ];
    const expected: string[] = [];
    for (const at of instants) {
      for (const fields of fieldSets) {
        clock = at;
        logger.warn("request", fields);
        expected.push(`${JSON.stringify({ time: new Date(Math.floor(at)).toISOString(), level: "warn", msg: "request", ...fields })}\n`);
      }
    }
    expect(lines).toEqual(expected);
  });

  it("bounds client content to 16 levels and 8 KiB of strings", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = { content: deep };
    const bounded = JSON.stringify(boundForLog(deep));
    expect(bounded.match(/content/g)).toHaveLength(16);
    expect(bounded).toContain('"[nested too deep]"');
    const strings = boundForLog([{ content: "a".repeat(5000) }, { content: "b".repeat(5000) }, { content: "c" }]) as { content: string }[];
    expect(strings[0].content).toBe("a".repeat(5000));
    expect(strings[1].content).toMatch(/^b+…\[truncated\]$/);
    expect(strings[1].content.length).toBeLessThan(3300);
    expect(strings[2]).toBe("[truncated]");
  });
});
