import { describe, expect, it } from "vitest";
import { assignVariant, stickyPoint, type WeightedRoute } from "../../src/governance/variants.js";

const route: WeightedRoute = {
  name: "chat",
  variants: [
    { model: "flash", weight: 90 },
    { model: "pro", weight: 10 },
  ],
  sticky: { header: "X-Session-Id" },
};
const noHeaders = () => undefined;

describe("weighted variants", () => {
  it("splits callers by weight", () => {
    let pro = 0;
    for (let i = 0; i < 20_000; i++) if (assignVariant(route, { header: (n) => (n === "x-session-id" ? `s${i}` : undefined) }).model === "pro") pro++;
    expect(pro / 20_000).toBeGreaterThan(0.09);
    expect(pro / 20_000).toBeLessThan(0.11);
  });

  it("keeps a session on one arm, by its header (matched case-insensitively)", () => {
    const header = (n: string) => (n === "x-session-id" ? "user-42" : undefined);
    const first = assignVariant(route, { tenant: "acme", header });
    expect(first.by).toBe("header");
    for (let i = 0; i < 20; i++) expect(assignVariant(route, { tenant: `other-${i}`, header }, () => Math.random()).model).toBe(first.model);
  });

  it("falls back to the tenant when the sticky header is absent, then to a random draw", () => {
    expect(assignVariant(route, { tenant: "acme", header: noHeaders }).by).toBe("tenant");
    expect(assignVariant(route, { header: noHeaders }, () => 0.95)).toEqual({ model: "pro", by: "random" });
    expect(assignVariant({ ...route, sticky: undefined }, { tenant: "acme", header: noHeaders }, () => 0.5)).toEqual({
      model: "flash",
      by: "random",
    });
  });

  it("raising a weight moves only the callers it must", () => {
    const before: WeightedRoute = {
      name: "chat",
      variants: [
        { model: "a", weight: 50 },
        { model: "b", weight: 50 },
      ],
      sticky: "tenant",
    };
    const after: WeightedRoute = {
      ...before,
      variants: [
        { model: "a", weight: 60 },
        { model: "b", weight: 40 },
      ],
    };
    let moved = 0;
    for (let i = 0; i < 10_000; i++) {
      const request = { tenant: `t${i}`, header: noHeaders };
      const [was, is] = [assignVariant(before, request).model, assignVariant(after, request).model];
      if (was !== is) {
        expect([was, is]).toEqual(["b", "a"]);
        moved++;
      }
    }
    expect(moved / 10_000).toBeGreaterThan(0.08);
    expect(moved / 10_000).toBeLessThan(0.12);
  });

  it("hashes each route on its own, so two experiments are not correlated", () => {
    expect(stickyPoint("chat", "t:acme")).not.toBe(stickyPoint("search", "t:acme"));
    expect(stickyPoint("chat", "t:acme")).toBe(stickyPoint("chat", "t:acme"));
  });
});
