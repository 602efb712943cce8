import { COMPLIANT, NOT_APPLICABLE, helmValues, violation } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-13", level: "error", appliesTo: ["helm_release"],
  info: "kube-prometheus-stack takes Grafana's admin password from a secret and keeps Grafana private.",
  explanation: "A password in Helm values lands in the Terraform state and the release's history; a public Grafana exposes every metric.",
  fix: "Use grafana.admin.existingSecret and a ClusterIP service (ObservabilityStack does).",
  check: ({ config }) => {
    if (config.chart !== "kube-prometheus-stack") return NOT_APPLICABLE;
    const values = helmValues(config);
    if (values === undefined) return { kind: "unresolved", field: "values" };
    if (values.grafana?.adminPassword !== undefined) return violation("grafana.adminPassword is set in the values");
    if (!values.grafana?.admin?.existingSecret) return violation("grafana.admin.existingSecret is not set");
    if ((values.grafana?.service?.type ?? "ClusterIP") !== "ClusterIP") return violation(`Grafana's service is ${values.grafana.service.type}`);
    if (values.grafana?.ingress?.enabled === true) return violation("Grafana has an ingress");
    return COMPLIANT;
  },
});
