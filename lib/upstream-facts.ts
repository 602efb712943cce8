/**
 * Facts from the engines we deploy onto, each with the upstream source it was read from
 * (`owner/repo@version:path[:lines]`). The charts and sources cannot be fetched in CI, so these
 * are what the synth-time checks and the tests hold our output against. A pin bump in
 * `versions.ts` must re-read every fact of that pin from the new version's source.
 *
 * Plain data only: no logic here, so a reviewer can diff a pin bump line by line.
 */

/** The Kong Helm chart at `VERSIONS.kongChart`. */
export const KONG_CHART_FACTS = {
  version: "3.4.1",
} as const;

/** Kong Gateway at `VERSIONS.kongImage`. */
export const KONG_FACTS = {
  version: "3.9.1",
} as const;

/** LiteLLM at `VERSIONS.liteLlmImage`. */
export const LITELLM_FACTS = {
  version: "1.80.12",
} as const;

/** kube-prometheus-stack at `VERSIONS.kubePrometheusStackChart`. */
export const KUBE_PROMETHEUS_STACK_FACTS = {
  version: "88.5.3",
} as const;

/** hashicorp/terraform-provider-google at the version @cdktf/provider-google 16.12.1 binds. */
export const GOOGLE_PROVIDER_FACTS = {
  version: "6.50.0",
} as const;

/** The GKE API's own rules, which the provider does not check at plan time. */
export const GKE_FACTS = {
} as const;

/** checkov's Terraform checks that POLICIES.md maps rules to. */
export const CHECKOV_FACTS = {
} as const;

/** cdktf-cli 0.21, the final release. */
export const CDKTF_CLI_FACTS = {
  version: "0.21.0",
  deploy: {
    /**
     * `cdktf deploy <stack>` throws "The following dependencies are not included in the stacks
     * to run" unless every dependency is in the same run or this flag is given.
     * hashicorp/terraform-cdk@v0.21.0:packages/@cdktf/cli-core/src/lib/helpers/stack-helpers.ts
     * (checkIfAllDependenciesAreIncluded), called from cdktf-project.ts deploy().
     */
    ignoreDependenciesFlag: "--ignore-missing-stack-dependencies",
  },
  synth: {
    /**
     * The only options of `cdktf synth`; anything else (e.g. `--context`) is ignored.
     * hashicorp/terraform-cdk@v0.21.0:packages/cdktf-cli/src/bin/cmds/synth.ts (builder).
     */
    options: ["app", "output", "check-code-maker-output", "hcl"],
    /**
     * The CLI passes cdktf.json's `context` to the app in this variable; a plain
     * `node dist/main.js` does not get it.
     * hashicorp/terraform-cdk@v0.21.0:packages/@cdktf/cli-core/src/lib/synth-stack.ts,
     * packages/@cdktf/commons/src/config.ts (CONTEXT_ENV).
     */
    contextEnv: "CDKTF_CONTEXT_JSON",
  },
} as const;
