import { COMPLIANT, NAMESPACED, at, violation } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-9",
  level: "error",
  appliesTo: NAMESPACED,
  checkov: ["CKV_K8S_21"],
  cis: "4.6.4",
  info: "Objects live in a namespace of their own, not default.",
  explanation: "The default namespace has no policies of its own and mixes unrelated workloads.",
  fix: "Set metadata.namespace (or the Helm release's namespace) to a tier namespace.",
  check: ({ type, config }) => {
    const namespace = type === "helm_release" ? config.namespace : at(config, "metadata.namespace");
    return !namespace || namespace === "default" ? violation(`namespace is ${JSON.stringify(namespace ?? "default")}`) : COMPLIANT;
  },
});
