import {
  COMPLIANT,
  NOT_APPLICABLE,
  at,
  expectValue,
  isReference,
  unresolved,
  violation,
  type PolicyRule,
  type ResourceUnderTest,
  type Verdict,
} from "../rule";

export const CLUSTER = ["google_container_cluster"];
export const POOL = ["google_container_node_pool"];
export const BOTH = [...CLUSTER, ...POOL];

export const isTrue = (v: unknown) => v === true;
export const isFalse = (v: unknown) => v === false;

export { COMPLIANT, NOT_APPLICABLE, at, expectValue, isReference, unresolved, violation };
export type { PolicyRule, ResourceUnderTest, Verdict };
