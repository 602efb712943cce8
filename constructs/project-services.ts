import { Construct } from "constructs";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { validateProjectId } from "../lib/naming";
import { guardRenderedValues } from "../lib/synth-guard";

/**
 * APIs the whole gateway uses: the cluster and its network, IAM and Workload Identity,
 * logging and monitoring, KMS for secrets encryption, Artifact Registry for images, Secret
 * Manager, Memorystore with private service access, and Vertex AI.
 */
export const GATEWAY_SERVICES: readonly string[] = [
  "aiplatform.googleapis.com",
  "artifactregistry.googleapis.com",
  "cloudkms.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "compute.googleapis.com",
  "container.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "redis.googleapis.com",
  "secretmanager.googleapis.com",
  "servicenetworking.googleapis.com",
];

export interface ProjectServicesProps {
  /** The project to enable the APIs in. */
  readonly projectId: string;
  /**
   * Service names to enable.
   * @default GATEWAY_SERVICES
   */
  readonly services?: readonly string[];
}

/**
 * Enables the project APIs the gateway needs. Destroying the stack leaves them enabled,
 * because other workloads in the project may rely on them.
 */
export class ProjectServices extends Construct {
  /** One resource per service, keyed by service name. */
  public readonly services: Readonly<Record<string, ProjectService>>;

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    guardRenderedValues(this);
    validateProjectId(this, props.projectId);
    const names = [...new Set(props.services ?? GATEWAY_SERVICES)].sort();
    this.services = Object.fromEntries(
      names.map((service) => [
        service,
        new ProjectService(this, service.split(".")[0], {
          project: props.projectId,
          service,
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
      ]),
    );
  }

  /** The resources, for `dependsOn` of anything that calls these APIs. */
  public get all(): ProjectService[] {
    return Object.values(this.services);
  }
}
