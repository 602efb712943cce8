import { WORKLOADS, at, everyContainer, securityContext } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-7",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_28", "CKV_K8S_37", "CKV_K8S_25"],
  info: "Containers drop ALL capabilities and add none.",
  explanation: "Capabilities such as NET_RAW allow spoofing and sniffing inside the cluster.",
  fix: 'Set security_context.capabilities.drop = ["ALL"].',
  check: (r) =>
    everyContainer(r, (c) => {
      const caps = (at(securityContext(c), "capabilities") ?? {}) as any;
      if (!(caps.drop ?? []).includes("ALL")) return "capabilities are not dropped";
      return (caps.add ?? []).length > 0 ? `adds ${caps.add.join(", ")}` : undefined;
    }),
});
