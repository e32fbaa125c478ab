import type { EnvironmentConfig, ResourcesConfig } from "../config";
import type { FrontDoorOutputs } from "./platform-outputs";

/**
 * The values the MLflow stack hands the chart helm_charts/mlflow_setup. This type mirrors the
 * chart's values.schema.json (the non-secret part); __tests__/contract renders it with real helm,
 * so a key renamed on one side only fails the tests.
 */
export interface MlflowChartValues {
  fullnameOverride: string;
  registry: { server: string; username: string };
  image: { repository: string; tag: string; digest: string };
  storage: {
    accountName: string;
    fileShare: { name: string; size: string };
    artifacts: { container: string; auth: "accountKey" };
  };
  trackingServer: {
    replicas: number;
    workers: number;
    resources: KubernetesResources;
    podAnnotations: Record<string, string>;
  };
  mysql: {
    enabled: true;
    auth: { database: string; username: string };
    persistence: { size: string; diskEncryptionSetId: string };
  };
  backup: { enabled: true; container: string };
  frontDoor?: FrontDoorValues;
}

/** The chart's frontDoor block as the stacks fill it (gateway per access mode, Key Vault certificate, workload identity). */
export interface FrontDoorValues {
  enabled: true;
  host: string;
  gateway: {
    access: "private" | "public";
    allowedSourceRanges: string[];
    annotations: Record<string, string>;
    tls: { keyVaultCertificateUri: string; identityClientId: string };
  };
  entra: { tenantId: string; clientId: string; allowedGroupObjectIds: string[] };
  oauth2Proxy: { workloadIdentityClientId: string; image?: { repository?: string; digest?: string } };
}

/** Secret values: handed to the chart only through helm_release set_sensitive, never in `values`. */
export interface MlflowChartSecrets {
  "registry.password": string;
  "storage.accountKey": string;
  "mysql.auth.password": string;
  "mysql.auth.rootPassword": string;
  /** Only with a front door. */
  "frontDoor.oauth2Proxy.cookieSecret"?: string;
}

export interface KubernetesResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** What the values are made from: an environment's settings and its platform's (non-secret) outputs. */
export interface ChartValuesInput {
  mlflow: EnvironmentConfig["mlflow"];
  fileShareQuotaGb: number;
  registryLoginServer: string;
  pushPrincipalClientId: string;
  storageAccountName: string;
  fileShareName: string;
  artifactContainerName: string;
  backupContainerName: string;
  diskEncryptionSetId: string;
  /** Digest of the chart's files: a changed chart restarts the tracking server. */
  chartDigest: string;
  /** The environment's front door, when enabled: its config and the platform's outputs for it. */
  frontDoor?: {
    host: string;
    allowedGroupObjectIds: string[];
    /** Config's oauth2-proxy image; null fields keep the chart's. */
    proxyImage: { repository: string | null; digest: string | null };
    tenantId: string;
    /** The environment's access mode: a public gateway admits only the authorized ranges. */
    network: Pick<EnvironmentConfig["network"], "access" | "authorizedIpRanges">;
    /** Private mode: the internal load balancer's address (published in the private DNS zone of the host). */
    privateIpAddress: string | null;
    outputs: FrontDoorOutputs;
  };
}

export function buildChartValues(input: ChartValuesInput): MlflowChartValues {
  const m = input.mlflow;
  return {
    fullnameOverride: m.releaseName,
    registry: { server: input.registryLoginServer, username: input.pushPrincipalClientId },
    image: { repository: m.image.repository, tag: m.image.tag, digest: m.image.digest ?? "" },
    storage: {
      accountName: input.storageAccountName,
      fileShare: { name: input.fileShareName, size: `${input.fileShareQuotaGb}Gi` },
      artifacts: { container: input.artifactContainerName, auth: "accountKey" },
    },
    trackingServer: {
      replicas: m.trackingServer.replicas,
      workers: m.trackingServer.workers,
      resources: kubernetesResources(m.trackingServer.resources),
      podAnnotations: { "mlflow-aks/chart-digest": input.chartDigest },
    },
    mysql: {
      enabled: true,
      auth: { database: "mlflow", username: "mlflow" },
      persistence: { size: `${m.mysql.diskSizeGi}Gi`, diskEncryptionSetId: input.diskEncryptionSetId },
    },
    backup: { enabled: true, container: input.backupContainerName },
    ...(input.frontDoor ? { frontDoor: frontDoorValues(input.frontDoor) } : {}),
  };
}

function frontDoorValues(fd: NonNullable<ChartValuesInput["frontDoor"]>): FrontDoorValues {
  return {
    enabled: true,
    host: fd.host,
    gateway: {
      access: fd.network.access,
      allowedSourceRanges: fd.network.access === "public" ? fd.network.authorizedIpRanges : [],
      annotations:
        fd.network.access === "private" && fd.privateIpAddress !== null ? { "service.beta.kubernetes.io/azure-load-balancer-ipv4": fd.privateIpAddress } : {},
      tls: { keyVaultCertificateUri: fd.outputs.certificateUri, identityClientId: fd.outputs.certificateIdentityClientId },
    },
    entra: { tenantId: fd.tenantId, clientId: fd.outputs.clientId, allowedGroupObjectIds: fd.allowedGroupObjectIds },
    // The application registration's federated credential trusts oauth2-proxy's service account.
    oauth2Proxy: { workloadIdentityClientId: fd.outputs.clientId, ...proxyImageValues(fd.proxyImage) },
  };
}

function proxyImageValues({ repository, digest }: { repository: string | null; digest: string | null }): { image?: { repository?: string; digest?: string } } {
  if (repository === null && digest === null) return {};
  return { image: { ...(repository !== null ? { repository } : {}), ...(digest !== null ? { digest } : {}) } };
}

/** A chart component's resource name, as the chart's componentName helper makes it from the release name. */
export function chartComponentName(releaseName: string, suffix: string): string {
  return `${releaseName.slice(0, 62 - suffix.length).replace(/-$/, "")}-${suffix}`;
}

export function kubernetesResources(r: ResourcesConfig): KubernetesResources {
  return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } };
}

/** The in-cluster address of the tracking server, as the chart names its Service. */
export function trackingUri(mlflow: EnvironmentConfig["mlflow"]): string {
  return `http://${mlflow.releaseName}-tracking-server.${mlflow.namespace}.svc.cluster.local:5000`;
}
