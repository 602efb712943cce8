import { describe, expect, it } from "vitest";
import { checkovMappings, policiesMarkdown } from "../../lib/policy/docs";
import { POLICY_RULES } from "../../lib/policy/pack";
import type { PolicyRule } from "../../lib/policy/rule";
import { CHECKOV_FACTS } from "../../lib/upstream-facts";

const citing = POLICY_RULES.filter((rule) => (rule.checkov ?? []).length > 0);

describe("checkov mappings", () => {
  it.each(citing.map((rule): [string, PolicyRule] => [rule.id, rule]))(
    "%s cites only checkov Terraform checks that evaluate its resources",
    (_id, rule) => {
      for (const { id, covers } of checkovMappings(rule)) {
        expect(Object.keys(CHECKOV_FACTS.manifestOnly), `${id} is a manifest-only check`).not.toContain(id);
        expect(covers, `${id} is not in CHECKOV_FACTS.checks`).toBeDefined();
        expect(covers!.length, `${id} evaluates none of ${rule.appliesTo.join(", ")}`).toBeGreaterThan(0);
      }
    },
  );

  it("flags a citation of a manifest-only check, an unknown id, or a check of other resources", () => {
    const rule = { ...citing[0], appliesTo: ["helm_release"], checkov: ["CKV_K8S_38", "CKV_GCP_999", "CKV_K8S_20"] } as PolicyRule;
    expect(checkovMappings(rule)).toEqual([
      { id: "CKV_K8S_38", covers: undefined },
      { id: "CKV_GCP_999", covers: undefined },
      { id: "CKV_K8S_20", covers: [] },
    ]);
  });

  it("says in POLICIES.md where a check evaluates only some of a rule's resources", () => {
    const row = policiesMarkdown()
      .split("\n")
      .find((line) => line.startsWith("| AIG-K8S-9 |"))!;
    expect(row).toContain(
      "CKV_K8S_21 (on kubernetes_deployment_v1, kubernetes_deployment, kubernetes_pod_v1, kubernetes_pod, " +
        "kubernetes_service_v1, kubernetes_config_map_v1, kubernetes_secret_v1, " +
        "kubernetes_service_account_v1)",
    );
    const gke6 = policiesMarkdown()
      .split("\n")
      .find((line) => line.startsWith("| AIG-GKE-6 |"))!;
    expect(gke6).toContain("| CKV_GCP_69 |");
  });

  it("keeps a source for every fact", () => {
    for (const check of Object.values(CHECKOV_FACTS.checks))
      expect(check.file).toMatch(/^bridgecrewio\/checkov@3\.3\.13:checkov\/terraform\/checks\/.+:\d+/);
  });
});
