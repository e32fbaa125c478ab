import { Password } from "@cdktf/provider-random/lib/password";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment, KubeloginMode, StateBackendSettings } from "../config";
import { ClusterProviders } from "./constructs/cluster-providers";
import { MlflowRelease } from "./constructs/mlflow-release";
import { configureStateBackend } from "./constructs/state-backend";
import { buildChartValues, trackingUri } from "./mlflow-values";
import type { PlatformOutputs } from "./platform-outputs";

export interface ChartSource {
  /** Chart directory relative to the project root, e.g. helm_charts/mlflow_setup. */
  path: string;
  /** Digest of the chart's files (see config/chart-source.ts). */
  digest: string;
}

export interface MlflowStackProps {
  environment: Environment;
  platform: PlatformOutputs;
  chart: ChartSource;
  stateBackend: StateBackendSettings;
  kubeloginMode: KubeloginMode;
}

/** Stacks run from cdktf.out/stacks/<stack>/: three levels below the project root. */
const PROJECT_ROOT_FROM_STACK = "../../..";

/** mlflow-<env>: the mlflow_setup chart on the environment's cluster, configured from its platform. */
export class MlflowStack extends TerraformStack {
  readonly trackingUri: string;

  constructor(scope: Construct, props: MlflowStackProps) {
    const { config, names } = props.environment;
    super(scope, names.mlflowStack);
    configureStateBackend(this, names.mlflowStack, props.stateBackend);

    const p = props.platform;
    new ClusterProviders(this, "cluster", { platform: p, kubeloginMode: props.kubeloginMode });
    new RandomProvider(this, "random", {});

    // Outputs crossing stacks arrive marked sensitive; these are not secrets, and showing them keeps
    // `cdktf diff` of the release reviewable. Secrets below stay sensitive end to end.
    const shown = (value: string) => Fn.nonsensitive(value);
    const values = buildChartValues({
      mlflow: config.mlflow,
      fileShareQuotaGb: config.storage.fileShareQuotaGb,
      registryLoginServer: shown(p.registryLoginServer),
      pushPrincipalClientId: shown(p.pushPrincipalClientId),
      storageAccountName: shown(p.storageAccountName),
      fileShareName: shown(p.fileShareName),
      artifactContainerName: shown(p.artifactContainerName),
      backupContainerName: shown(p.backupContainerName),
      // Empty: the chart's StorageClass leaves the disk to Microsoft-managed keys.
      diskEncryptionSetId: p.diskEncryptionSetId === null ? "" : shown(p.diskEncryptionSetId),
      chartDigest: props.chart.digest,
      frontDoor:
        config.frontDoor.enabled && config.frontDoor.host !== null && p.frontDoor
          ? {
              host: config.frontDoor.host,
              allowedGroupObjectIds: config.frontDoor.allowedGroupObjectIds,
              proxyImage: config.frontDoor.proxyImage,
              tenantId: shown(p.tenantId),
              network: config.network,
              privateIpAddress: config.frontDoor.privateIpAddress,
              outputs: {
                clientId: shown(p.frontDoor.clientId),
                certificateUri: shown(p.frontDoor.certificateUri),
                certificateIdentityClientId: shown(p.frontDoor.certificateIdentityClientId),
              },
            }
          : undefined,
    });

    const release = new MlflowRelease(this, "mlflow", {
      namespace: config.mlflow.namespace,
      namespaceLabels: {
        "app.kubernetes.io/part-of": "mlflow",
        "mlflow-aks/environment": config.name,
        // Pods of the chart meet "restricted"; project Jobs run user images, so enforce "baseline".
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
      protectNamespace: config.dataProtection,
      releaseName: config.mlflow.releaseName,
      chartPath: `${PROJECT_ROOT_FROM_STACK}/${props.chart.path}`,
      values,
      secrets: {
        "registry.password": p.pushPrincipalPassword,
        "storage.accountKey": p.storageAccountKey,
        // Encrypts the sign-in cookies; stable across applies (a new one only signs everybody out).
        ...(values.frontDoor
          ? { "frontDoor.oauth2Proxy.cookieSecret": new Password(this, "front-door-cookie-secret", { length: 32, special: false }).result }
          : {}),
      },
    });

    this.trackingUri = trackingUri(config.mlflow);
    new TerraformOutput(this, "tracking_uri", { value: this.trackingUri, description: "MLflow tracking URI inside the cluster" });
    new TerraformOutput(this, "namespace", { value: release.namespace.metadata.name });
    new TerraformOutput(this, "release_name", { value: release.release.name });
  }
}
