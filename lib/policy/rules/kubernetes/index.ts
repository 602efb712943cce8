import type { PolicyRule } from "../../rule";
import { rule as r0 } from "./aig-k8s-1";
import { rule as r1 } from "./aig-k8s-2";
import { rule as r2 } from "./aig-k8s-3";
import { rule as r3 } from "./aig-k8s-4";
import { rule as r4 } from "./aig-k8s-5";
import { rule as r5 } from "./aig-k8s-6";
import { rule as r6 } from "./aig-k8s-7";
import { rule as r7 } from "./aig-k8s-8";
import { rule as r8 } from "./aig-k8s-9";
import { rule as r9 } from "./aig-k8s-10";
import { rule as r10 } from "./aig-k8s-11";
import { rule as r11 } from "./aig-k8s-12";
import { rule as r12 } from "./aig-k8s-13";
import { rule as imagesPinnedByDigest } from "./images-pinned-by-digest";
import { rule as helmValuesResources } from "./helm-values-resources";

export const KUBERNETES_RULES: PolicyRule[] = [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, imagesPinnedByDigest, helmValuesResources];
