import { WORKLOADS, everyContainer, podSecurityContext, securityContext } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-6",
  level: "error",
  appliesTo: WORKLOADS,
  cis: "4.2.6",
  info: "Containers run as non-root with a high UID (>= 10000).",
  explanation: "Root in a container is root on the node after an escape; low UIDs collide with host users.",
  fix: "Set run_as_non_root = true and run_as_user >= 10000.",
  check: (r) =>
    everyContainer(r, (c, pod) => {
      const nonRoot = securityContext(c).run_as_non_root ?? podSecurityContext(pod).run_as_non_root;
      const uid = Number(securityContext(c).run_as_user ?? podSecurityContext(pod).run_as_user);
      if (nonRoot !== true) return "run_as_non_root is not true";
      return !(uid >= 10000) ? `runs as UID ${Number.isNaN(uid) ? "unset" : uid}` : undefined;
    }),
});
