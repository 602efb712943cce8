import { WORKLOADS, everyContainer } from "../kubernetes-helpers";
import { defineRule } from "../../rule";
import { isPinnedImage } from "../../../images";

export const rule = defineRule({
  id: "AIG-K8S-3",
  level: "error",
  appliesTo: WORKLOADS,
  checkov: ["CKV_K8S_14", "CKV_K8S_43"],
  info: "Images are pinned by digest or a fixed tag, never latest.",
  explanation: "A floating tag deploys whatever was pushed last, without review, and differently on each node.",
  fix: "Use image@sha256:… or a version tag.",
  check: (r) =>
    everyContainer(r, (c) => {
      const image = String(c.image ?? "");
      if (isPinnedImage(image)) return undefined;
      return `image ${image} is not pinned`;
    }),
});
