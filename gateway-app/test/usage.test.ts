import { describe, expect, it } from "vitest";
import { usageFromBody } from "../src/usage.js";

const bytes = (s: string) => Buffer.from(s);

describe("usageFromBody", () => {
  it("reads usage with nested details", () => {
    const body = JSON.stringify({
      id: "x",
      choices: [{ message: { content: 'a "usage": {fake}' } }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect(usageFromBody(bytes(body))).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 2 },
    });
  });

  it("falls back to a full parse when the last usage key is inside content", () => {
    const body = JSON.stringify({ usage: { prompt_tokens: 1 }, choices: [{ message: { content: '"usage": {"prompt_tokens": 999}' } }] });
    expect(usageFromBody(bytes(body))).toEqual({ prompt_tokens: 1 });
  });

  it("handles escaped quotes and braces in strings inside usage", () => {
    const body = '{"usage":{"note":"a \\" } brace","prompt_tokens":4}}';
    expect(usageFromBody(bytes(body))).toEqual({ note: 'a " } brace', prompt_tokens: 4 });
  });

  it("returns undefined without usage or for invalid JSON", () => {
    expect(usageFromBody(bytes('{"id":"x"}'))).toBeUndefined();
    expect(usageFromBody(bytes("{broken"))).toBeUndefined();
    expect(usageFromBody(bytes('{"usage": null}'))).toBeUndefined();
  });
});
