import { describe, expect, it } from "vitest";
import { turnOrder } from "../bench/support/measure";

describe("benchmark turns", () => {
  it("rotate the targets each round, so each takes every place once in as many rounds as there are targets", () => {
    const targets = ["off", "keys", "on"];
    const rounds = [0, 1, 2, 3].map((round) => turnOrder(targets, round));
    expect(rounds).toEqual([
      ["off", "keys", "on"],
      ["keys", "on", "off"],
      ["on", "off", "keys"],
      ["off", "keys", "on"],
    ]);
    for (const name of targets) expect(new Set(rounds.slice(0, 3).map((order) => order.indexOf(name)))).toEqual(new Set([0, 1, 2]));
  });
});
