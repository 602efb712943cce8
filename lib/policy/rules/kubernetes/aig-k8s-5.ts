import { WORKLOADS, everyContainer, securityContext } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-5",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_22"],
  cis: "4.6.3",
  info: "Root filesystems are read-only.",
  explanation: "An attacker cannot drop tools or alter binaries in a read-only container.",
  fix: "Set security_context.read_only_root_filesystem = true and mount emptyDirs where the app writes.",
  check: (r) => everyContainer(r, (c) => (securityContext(c).read_only_root_filesystem !== true ? "root filesystem is writable" : undefined)),
});
