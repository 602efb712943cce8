import { WORKLOADS, at, everyContainer } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-2",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"],
  info: "Containers request and limit CPU and memory.",
  explanation: "Requests let the scheduler and the autoscaler work; limits stop one pod starving its neighbours.",
  fix: "Set resources.requests and resources.limits for cpu and memory.",
  check: (r) =>
    everyContainer(r, (c) => {
      const res = at(c, "resources") as any;
      for (const kind of ["requests", "limits"])
        for (const what of ["cpu", "memory"]) if (!res?.[kind]?.[what]) return `no ${what} ${kind.slice(0, -1)}`;
      return undefined;
    }),
});
