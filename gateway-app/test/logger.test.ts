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
