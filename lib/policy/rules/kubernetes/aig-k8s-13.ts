import { COMPLIANT, NOT_APPLICABLE, helmValues, violation } from "../kubernetes-helpers";
import { defineRule } from "../../rule";

export const rule = defineRule({
  id: "AIG-K8S-13",
  level: "error",
  appliesTo: ["helm_release"],
  info: "kube-prometheus-stack never gets Grafana's admin password in its values, and keeps Grafana private.",
  explanation:
    "A password in Helm values lands in the Terraform state and the release's history; a public Grafana " +
    "exposes every metric. Either the chart generates the password into its own Secret or " +
    "grafana.admin.existingSecret names one.",
  fix:
    "Leave grafana.adminPassword unset (the chart generates one) or use grafana.admin.existingSecret, " +
    "and a ClusterIP service (ObservabilityStack does).",
  check: ({ config }) => {
    if (config.chart !== "kube-prometheus-stack") return NOT_APPLICABLE;
    const values = helmValues(config);
    if (values === undefined) return { kind: "unresolved", field: "values" };
    if (values.grafana?.adminPassword !== undefined) return violation("grafana.adminPassword is set in the values");
    if (values.grafana?.admin !== undefined && !values.grafana.admin.existingSecret)
      return violation("grafana.admin is set without an existingSecret");
    if ((values.grafana?.service?.type ?? "ClusterIP") !== "ClusterIP") return violation(`Grafana's service is ${values.grafana.service.type}`);
    if (values.grafana?.ingress?.enabled === true) return violation("Grafana has an ingress");
    return COMPLIANT;
  },
});
