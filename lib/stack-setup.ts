import type { TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { MANAGED_BY_LABELS } from "./labels";
import { configureStateBackend, type StateBackendOptions } from "./state-backend";
import { guardRenderedValues } from "./synth-guard";

/** What both stacks start with: their state backend and a labelling Google provider. */
export function setUpGoogleStack(
  stack: TerraformStack,
  options: { projectId: string; region: string; stateBackend?: StateBackendOptions },
): GoogleProvider {
  configureStateBackend(stack, options.stateBackend ?? {});
  guardRenderedValues(stack);
  return new GoogleProvider(stack, "Google", {
    project: options.projectId,
    region: options.region,
    defaultLabels: { ...MANAGED_BY_LABELS },
  });
}
