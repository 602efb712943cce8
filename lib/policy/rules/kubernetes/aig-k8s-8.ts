import { COMPLIANT, WORKLOADS, at, everyContainer, podSecurityContext, podSpec, securityContext } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-8",
  level: "error",
  appliesTo: WORKLOADS,
  cis: "4.6.2",
  info: "Pods use the RuntimeDefault seccomp profile.",
  explanation: "Seccomp blocks the syscalls containers never need, shrinking the kernel attack surface.",
  fix: 'Set the pod security_context.seccomp_profile.type = "RuntimeDefault".',
  check: (r) => {
    const pod = podSpec(r);
    const podProfile = at(podSecurityContext(pod), "seccomp_profile.type");
    if (podProfile === "RuntimeDefault") return COMPLIANT;
    return everyContainer(r, (c) =>
      at(securityContext(c), "seccomp_profile.type") !== "RuntimeDefault" ? "no RuntimeDefault seccomp profile" : undefined,
    );
  },
});
