import type { PolicyRule } from "../../rule";
import { rule as r0 } from "./aig-iam-1";
import { rule as r1 } from "./aig-iam-2";
import { rule as r2 } from "./aig-iam-3";
import { rule as r3 } from "./aig-data-1";
import { rule as r4 } from "./aig-data-2";

export const IAM_DATA_RULES: PolicyRule[] = [r0, r1, r2, r3, r4];
