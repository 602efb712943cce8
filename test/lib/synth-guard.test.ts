import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AiGatewayCluster, HardenedWorkload, InvalidPropsError } from "../../constructs";
import { findBrokenValues, location } from "../../lib/synth-guard";
import { tempApp } from "../support/terraform";

/** A consumer's own stack holding one library workload, the way a platform team would build it. */
function consumerStack(id = "team-stack") {
  const app = tempApp();
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, "kubernetes", {});
  const workload = (command: string[]) =>
    new HardenedWorkload(stack, "Router", {
      namespace: "router",
      name: "router",
      component: "router",
      image: "registry.example.com/router:1.0.0",
      port: { name: "http", containerPort: 4000 },
      probes: { liveness: "/l", readiness: "/r" },
      command,
    });
  return { app, stack, workload };
}

describe("synthesis refuses values JavaScript produced by accident", () => {
  it("names the stack, the resource address and the attribute of a `--port ${undefined}` command", () => {
    const { app, workload } = consumerStack();
    const port: number | undefined = undefined;
    workload(["/bin/sh", "-c", `exec litellm --port ${port}`]);
    expect(() => app.synth()).toThrow(InvalidPropsError);
    expect(() => app.synth()).toThrow(
      new RegExp(
        String.raw`^team-stack: kubernetes_deployment_v1\.Router_Deployment_[0-9A-F]+\.spec\.template\.spec\.container\[0\]\.command\[2\] ` +
          String.raw`renders "undefined" \(construct team-stack\/Router\/Deployment\)`,
      ),
    );
  });

  it("passes the same workload when the port is there", () => {
    const { app, workload } = consumerStack();
    workload(["/bin/sh", "-c", `exec litellm --port ${4000}`]);
    expect(() => app.synth()).not.toThrow();
  });

  it("writes exactly what it checked, and renders afresh when asked again after synth", () => {
    const { app, stack, workload } = consumerStack();
    workload(["/bin/sh", "-c", "exec litellm --port 4000"]);
    app.synth();
    const written = JSON.parse(readFileSync(join(app.outdir, "stacks", "team-stack", "cdk.tf.json"), "utf8"));
    const { "//": _written, ...writtenBlocks } = written;
    const again = stack.toTerraform() as Record<string, unknown>;
    const { "//": _again, ...againBlocks } = again;
    expect(againBlocks).toEqual(writtenBlocks);
    new ConfigMapV1(stack, "Later", { metadata: { name: "later" }, data: { a: "b" } });
    expect(Object.keys((stack.toTerraform() as any).resource.kubernetes_config_map_v1 ?? {})).toHaveLength(1);
  });

  it("refuses NaN, which JSON would silently write as null, in a stack holding only a library cluster", () => {
    const app = tempApp();
    const stack = new TerraformStack(app, "team-b");
    new GoogleProvider(stack, "google", { project: "team-b-project" });
    new AiGatewayCluster(stack, "gateway", { projectId: "team-b-project", region: "us-east1", prefix: "teamb" });
    new TerraformOutput(stack, "replicas", { value: Number("two") });
    expect(() => app.synth()).toThrow(/^team-b: output\.replicas\.value renders "NaN"/);
  });

  it("refuses [object Object] inside a string and lists every finding", () => {
    const { app, stack, workload } = consumerStack("objects");
    workload(["/bin/sh", "-c", "exec litellm"]);
    const config = { port: 4000 };
    new ConfigMapV1(stack, "Config", { metadata: { name: "c", namespace: "router" }, data: { url: `http://router:${config}`, also: `${[config]}` } });
    expect(() => app.synth()).toThrow(
      new RegExp(
        String.raw`objects: kubernetes_config_map_v1\.Config\.data\.url renders "\[object Object\]".*; also ` +
          String.raw`kubernetes_config_map_v1\.Config\.data\.also renders "\[object Object\]"`,
      ),
    );
  });

  it("names data sources, providers and outputs by their Terraform address", () => {
    expect(
      findBrokenValues({
        data: { google_x: { y: { name: "a-undefined" } } },
        provider: { google: [{ project: "NaN" }] },
        output: { o: { value: Infinity } },
        locals: { l: "fine" },
      }).map((v) => `${location(v)}=${v.rendered}`),
    ).toEqual(["data.google_x.y.name=undefined", "provider.google[0].project=NaN", "output.o.value=Infinity"]);
  });

  it("does not flag words that merely contain the patterns", () => {
    expect(findBrokenValues({ resource: { t: { n: { a: "undefinedness", b: "NaNo", c: "[object]", d: 0 } } } })).toEqual([]);
  });
});
