import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { fromYaml, inspectYaml, inspectingYamlOf, toYaml } from "../../lib/yaml";
import { compareOrdinal, sortedEntries } from "../../lib/ordering";
import { resourcesOf } from "../support/terraform";
import { compiled } from "../support/compiled";
import { synthesizeExample } from "../support/example";

describe("inspectYaml", () => {
  it("reads a rendered document back as the parser would, without keeping a live reference", () => {
    const source: any = { a: 1, gone: undefined, list: [1, undefined, "x"], off: "off", nested: { text: "line 1\nline 2\n" } };
    const text = toYaml(source);
    source.a = 2;
    const inspected = inspectYaml(text);
    expect(inspected).toEqual(fromYaml(text));
    expect(inspected).toEqual({ a: 1, list: [1, null, "x"], off: "off", nested: { text: "line 1\nline 2\n" } });
  });

  it.each([
    ["NaN", { ratio: Number.NaN }],
    ["Infinity", { limit: Number.POSITIVE_INFINITY }],
    ["a date", { since: new Date(0) }],
  ])("reads %s back as the parser does, not as its JSON copy", (_name, source) => {
    const text = toYaml(source);
    expect(inspectYaml(text)).toEqual(fromYaml(text));
  });

  it("shares a frozen value, so an inspector cannot change what the next one sees", () => {
    const inspected = inspectYaml(toYaml({ deep: { list: [1] } }));
    expect(() => {
      inspected.deep.list.push(2);
    }).toThrow(TypeError);
    expect(Object.isFrozen(inspectYaml("parsed: {only: here}\n").parsed)).toBe(true);
  });

  it("reads a document as rendered only within the app that rendered it", () => {
    const [first, second] = [new App(), new App()];
    const text = toYaml({ release: { replicas: 2 } }, first);
    const inFirst = inspectingYamlOf(first, () => [inspectYaml(text), inspectYaml(text)]);
    const inSecond = inspectingYamlOf(second, () => inspectYaml(text));
    expect(inFirst[0]).toBe(inFirst[1]);
    expect(inSecond).toEqual(inFirst[0]);
    expect(inSecond).not.toBe(inFirst[0]);
    expect(inspectingYamlOf(second, () => inspectYaml(text))).toBe(inSecond);
  });

  it("keeps nothing outside a scope: each inspection is a fresh parse", () => {
    const text = toYaml({ only: "parsed" });
    expect(inspectYaml(text)).not.toBe(inspectYaml(text));
  });

  it("agrees with the parser on every YAML document the example app synthesizes", () => {
    const { app, platform } = synthesizeExample();
    const documents = [
      ...resourcesOf(platform, "helm_release").flatMap((r) => r.values as string[]),
      ...resourcesOf(platform, "kubernetes_config_map_v1").flatMap((c) =>
        Object.entries(c.data ?? {})
          .filter(([key]) => key.endsWith(".yaml"))
          .map(([, text]) => text as string),
      ),
      ...resourcesOf(platform, "kubernetes_manifest").map((m) => m.manifest.spec.parameters.secrets as string),
    ];
    expect(documents.length).toBeGreaterThanOrEqual(4);
    // The example is built by the compiled library, so its documents are in dist's yaml module.
    const shipped = compiled<typeof import("../../lib/yaml")>("lib/yaml");
    const remembered = shipped.inspectingYamlOf(app, () => documents.map((text) => [shipped.inspectYaml(text), shipped.inspectYaml(text)]));
    for (const [index, text] of documents.entries()) {
      const [first, again] = remembered[index];
      expect(first).toBe(again);
      expect(first).toEqual(fromYaml(text));
    }
  });
});

describe("ordering", () => {
  it("sorts by code unit, whatever the machine's locale", () => {
    expect(["b", "B", "a", "_x", "A"].sort(compareOrdinal)).toEqual(["A", "B", "_x", "a", "b"]);
    expect(sortedEntries({ b: 2, LOG_LEVEL: 1, a: 3 })).toEqual([
      ["LOG_LEVEL", 1],
      ["a", 3],
      ["b", 2],
    ]);
  });
});
