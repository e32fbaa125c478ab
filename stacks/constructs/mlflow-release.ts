import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import type { MlflowChartSecrets, MlflowChartValues } from "../mlflow-values";

export interface MlflowReleaseProps {
  namespace: string;
  namespaceLabels: Record<string, string>;
  /** prevent_destroy on the namespace: deleting it would delete the kept database claim with it. */
  protectNamespace: boolean;
  releaseName: string;
  /** Chart directory relative to the stack's working directory (cdktf.out/stacks/<stack>/). */
  chartPath: string;
  values: MlflowChartValues;
  /** Secrets that come from elsewhere (platform outputs); database passwords are made here. */
  secrets: Omit<MlflowChartSecrets, "mysql.auth.password" | "mysql.auth.rootPassword">;
}

/** Seconds helm waits for the release to become ready (disk attach and a database migration included). */
const RELEASE_TIMEOUT_SECONDS = 900;

/** The environment's namespace, its database passwords, and the mlflow_setup release in it. */
export class MlflowRelease extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: MlflowReleaseProps) {
    super(scope, id);

    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.namespace, labels: props.namespaceLabels },
      lifecycle: props.protectNamespace ? { preventDestroy: true } : undefined,
    });

    const secrets: MlflowChartSecrets = {
      ...props.secrets,
      "mysql.auth.password": databasePassword(this, "mysql-password").result,
      "mysql.auth.rootPassword": databasePassword(this, "mysql-root-password").result,
    };

    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: this.namespace.metadata.name,
      chart: props.chartPath,
      // Builds charts/ from the file:// MySQL dependency; no chart repository is contacted.
      dependencyUpdate: true,
      // Indented so that `cdktf diff` shows a changed value on a line of its own.
      values: [JSON.stringify(props.values, null, 2)],
      setSensitive: Object.entries(secrets).map(([name, value]) => ({ name, value, type: "string" })),
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: RELEASE_TIMEOUT_SECONDS,
      maxHistory: 10,
      lint: true,
    });
  }
}

/**
 * 40 characters from letters, digits and the URI-unreserved -_.~ : strong, and needs no
 * escaping in a database URI, a shell or YAML.
 */
function databasePassword(scope: Construct, id: string): Password {
  return new Password(scope, id, {
    length: 40,
    special: true,
    overrideSpecial: "-_.~",
    minLower: 2,
    minUpper: 2,
    minNumeric: 2,
    minSpecial: 2,
  });
}
