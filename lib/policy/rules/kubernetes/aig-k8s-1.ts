import { WORKLOADS, everyContainer } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-1",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_8", "CKV_K8S_9"],
  info: "Containers have liveness and readiness probes.",
  explanation: "Without probes Kubernetes sends traffic to pods that cannot serve and never restarts hung ones.",
  fix: "Give every container liveness_probe and readiness_probe (HardenedWorkload's probes).",
  check: (r) => everyContainer(r, (c) => (!c.liveness_probe ? "no liveness probe" : !c.readiness_probe ? "no readiness probe" : undefined)),
});
