import { WORKLOADS, at, everyContainer } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-11",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_35"],
  cis: "4.4.1",
  info: "Secrets reach containers as files, not environment variables.",
  explanation: "Environment variables leak into logs, crash dumps and child processes.",
  fix: "Mount the secret as a volume (SecretFiles) and read the file.",
  check: (r) =>
    everyContainer(r, (c) => {
      const fromSecret = (c.env ?? []).find((e: any) => at(e, "value_from.secret_key_ref"));
      if (fromSecret) return `${fromSecret.name} comes from a secret`;
      return (c.env_from ?? []).some((e: any) => e.secret_ref) ? "env_from a secret" : undefined;
    }),
});
