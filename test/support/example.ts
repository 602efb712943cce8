import { compiled } from "./compiled";
import { fromYaml } from "../../lib/yaml";
import { readSynthesized, resourcesOf, tempApp, type TerraformJson } from "./terraform";

/**
 * The example app synthesized through the compiled library (what `npm run synth` runs), with helpers
 * to read what the platform stack renders.
 */
export function synthesizeExample() {
  const { buildExampleApp, INFRASTRUCTURE_STACK_ID, PLATFORM_STACK_ID, readExampleConfig } =
    compiled<typeof import("../../lib/example-app")>("lib/example-app");
  const app = tempApp();
  buildExampleApp(
    app,
    readExampleConfig(() => undefined, {}),
  );
  app.synth();
  const { stacks } = readSynthesized(app.outdir);
  const platform: TerraformJson = stacks[PLATFORM_STACK_ID];
  const infrastructure: TerraformJson = stacks[INFRASTRUCTURE_STACK_ID];
  const configMap = (name: string) => resourcesOf(platform, "kubernetes_config_map_v1").find((c) => c.metadata.name === name)!;
  const deployment = (name: string) => resourcesOf(platform, "kubernetes_deployment_v1").find((d) => d.metadata.name === name)!;
  const kongValues = () => fromYaml(resourcesOf(platform, "helm_release").find((r) => r.chart === "kong")!.values[0]);
  return {
    app,
    platform,
    infrastructure,
    configMap,
    deployment,
    kongValues,
    kongConfig: () => fromYaml(kongValues().dblessConfig.config),
    liteLlmConfig: () => fromYaml(configMap("litellm-config").data["config.yaml"]),
    gatewayConfig: () => JSON.parse(configMap("gateway-app-config").data["catalogue.json"]),
  };
}
