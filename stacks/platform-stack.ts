import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment, StateBackendSettings } from "../config";
import { AksCluster } from "./constructs/aks-cluster";
import { MlflowContainerRegistry } from "./constructs/container-registry";
import { AuthorizedRangesGuard } from "./constructs/deploy-guard";
import { EncryptionKeys } from "./constructs/encryption-keys";
import { FrontDoor } from "./constructs/front-door";
import { MlflowStorage } from "./constructs/mlflow-storage";
import { Monitoring } from "./constructs/monitoring";
import { PrivateLinks } from "./constructs/private-links";
import { RegistryPushPrincipal } from "./constructs/registry-push-principal";
import type { ServiceAccess } from "./constructs/service-access";
import { configureStateBackend } from "./constructs/state-backend";
import { TagAspect } from "./constructs/tagging";
import { chartComponentName } from "./mlflow-values";
import type { NetworkOutputs } from "./network-outputs";
import type { FrontDoorOutputs, PlatformOutputs } from "./platform-outputs";

export interface PlatformStackProps {
  environment: Environment;
  /** The environment's network (the network-<env> stack). */
  network: NetworkOutputs;
  stateBackend: StateBackendSettings;
}

/** infra-<env>: everything on Azure the MLflow platform stands on, in the network of network-<env>. */
export class PlatformStack extends TerraformStack {
  readonly outputs: PlatformOutputs;

  constructor(scope: Construct, props: PlatformStackProps) {
    const { config, names } = props.environment;
    super(scope, names.infraStack);
    configureStateBackend(this, names.infraStack, props.stateBackend);
    TagAspect.applyTo(this, config.tags);

    // Subscription and credentials come from ARM_* variables (or the Azure CLI), never from code.
    new AzurermProvider(this, "azurerm", {
      features: [
        {
          // Manage storage through Azure Resource Manager only, never its data plane (which may be private).
          storage: [{ dataPlaneAvailable: false }],
          // A deleted vault or key stays recoverable (purge protection): never purge, recover instead of failing.
          keyVault: [
            {
              purgeSoftDeleteOnDestroy: false,
              purgeSoftDeletedKeysOnDestroy: false,
              recoverSoftDeletedKeyVaults: true,
              recoverSoftDeletedKeys: true,
            },
          ],
        },
      ],
    });
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});
    const deployer = new DataAzurermClientConfig(this, "deployer", {});

    const group = new ResourceGroup(this, "resource-group", { name: names.resourceGroup, location: config.location });
    const common = { resourceGroupName: group.name, location: group.location };

    const monitoring = new Monitoring(this, "monitoring", {
      ...common,
      name: names.logAnalyticsWorkspace,
      retentionDays: config.monitoring.logRetentionDays,
    });

    const { access: accessMode, authorizedIpRanges } = config.network;
    const network = props.network;
    let access: ServiceAccess;
    let egress: PublicIp | undefined;
    if (accessMode === "private") {
      if (!network.privateLinks) throw new Error(`${names.infraStack}: private access needs the network stack's endpoints subnet and DNS zones`);
      access = { kind: "private", links: new PrivateLinks(this, "private-links", { ...common, links: network.privateLinks }) };
    } else {
      new AuthorizedRangesGuard(this, "authorized-ranges-guard", { environment: config.name, authorizedIpRanges });
      access = { kind: "public", authorizedIpRanges, nodesSubnetId: network.nodesSubnetId };
      // Nodes leave through this address, so the registry can allow the cluster by address.
      egress = new PublicIp(this, "cluster-egress-ip", { ...common, name: names.clusterEgressIp, sku: "Standard", allocationMethod: "Static" });
    }

    const keys = config.encryption.customerManagedKey
      ? new EncryptionKeys(this, "keys", {
          ...common,
          tenantId: deployer.tenantId,
          keyVaultName: names.keyVault,
          diskEncryptionSetName: names.diskEncryptionSet,
          storageIdentityName: names.storageKeyIdentity,
          deployerObjectId: deployer.objectId,
          access,
          dataProtection: config.dataProtection,
        })
      : undefined;

    const aks = new AksCluster(this, "aks", {
      ...common,
      name: names.cluster,
      dnsPrefix: names.dnsPrefix,
      nodeResourceGroup: names.nodeResourceGroup,
      tenantId: deployer.tenantId,
      kubernetes: config.kubernetes,
      logAnalyticsWorkspaceId: monitoring.workspace.id,
      identityName: names.clusterIdentity,
      nodesSubnetId: network.nodesSubnetId,
      diskEncryption: keys ? { setId: keys.diskEncryptionSet.id, ready: keys.diskKeyAccess } : null,
      access: egress ? { kind: "public", authorizedIpRanges, egressIpId: egress.id } : { kind: "private" },
      // The deploying identity installs the chart in the MLflow stack, so it needs cluster-admin.
      adminPrincipalIds: [
        { id: "deployer", objectId: deployer.objectId },
        ...config.kubernetes.clusterAdminObjectIds.map((objectId) => ({ id: objectId, objectId })),
      ],
    });

    const acr = new MlflowContainerRegistry(this, "acr", {
      ...common,
      name: names.registry,
      registry: config.registry,
      pullerObjectIds: { kubelet: aks.kubeletObjectId },
      access,
      clusterEgressRange: egress ? `${egress.ipAddress}/32` : undefined,
    });

    const pusher = new RegistryPushPrincipal(this, "acr-push", {
      displayName: names.pushPrincipal,
      registryId: acr.registry.id,
      ownerObjectIds: [deployer.objectId],
      passwordRotationDays: config.pushPrincipal.passwordRotationDays,
    });

    const storage = new MlflowStorage(this, "storage", {
      ...common,
      accountName: names.storageAccount,
      storage: config.storage,
      dataProtection: config.dataProtection,
      access,
      encryption: keys ? { keyVaultKeyId: keys.key.versionlessId, identityId: keys.storageIdentity.id, ready: keys.storageKeyAccess } : null,
    });

    if (keys) monitoring.sendLogs("key-vault-logs", keys.vault.id, ["AuditEvent"]);
    monitoring.sendLogs("cluster-logs", aks.cluster.id, ["kube-audit-admin", "guard", "cluster-autoscaler"]);
    monitoring.watchStorage(storage.account);

    const frontDoor = this.frontDoor(props.environment, common, aks.cluster.oidcIssuerUrl, keys?.vault.id ?? null, deployer.objectId, network.virtualNetworkId);

    const kubeConfig = aks.cluster.kubeConfig.get(0);
    const adminConfig = aks.cluster.kubeAdminConfig.get(0);
    this.outputs = {
      resourceGroupName: group.name,
      clusterName: aks.cluster.name,
      clusterHost: kubeConfig.host,
      clusterCaCertificate: kubeConfig.clusterCaCertificate,
      clusterClientCredentials: config.kubernetes.localAccountsEnabled ? { certificate: adminConfig.clientCertificate, key: adminConfig.clientKey } : null,
      tenantId: deployer.tenantId,
      oidcIssuerUrl: aks.cluster.oidcIssuerUrl,
      registryLoginServer: acr.registry.loginServer,
      pushPrincipalClientId: pusher.clientId,
      pushPrincipalPassword: pusher.password.value,
      storageAccountName: storage.account.name,
      storageAccountKey: storage.account.primaryAccessKey,
      fileShareName: storage.share.name,
      artifactContainerName: storage.artifactContainer.name,
      backupContainerName: storage.backupContainer.name,
      diskEncryptionSetId: keys?.diskEncryptionSet.id ?? null,
      frontDoor,
    };
    this.declareOutputs();
  }

  /** The front door's Entra ID application, certificate and certificate reader, when the environment enables it. */
  private frontDoor(
    environment: Environment,
    common: { resourceGroupName: string; location: string },
    oidcIssuerUrl: string,
    keyVaultId: string | null,
    deployerObjectId: string,
    virtualNetworkId: string,
  ): FrontDoorOutputs | null {
    const { config, names } = environment;
    const fd = config.frontDoor;
    if (!fd.enabled || fd.host === null) return null;
    // config/front-door-rules.ts refuses a front door without the environment's Key Vault.
    if (keyVaultId === null) throw new Error("frontDoor needs the Key Vault that encryption.customerManagedKey creates");
    const { namespace, releaseName } = config.mlflow;
    const frontDoor = new FrontDoor(this, "front-door", {
      ...common,
      applicationName: names.dnsPrefix,
      certificateIdentityName: `id-${names.dnsPrefix}-gateway-tls`,
      host: fd.host,
      allowedGroupObjectIds: fd.allowedGroupObjectIds,
      oidcIssuerUrl,
      proxyServiceAccount: { namespace, name: chartComponentName(releaseName, "oauth2-proxy") },
      certificateServiceAccount: { namespace, name: chartComponentName(releaseName, "gateway-tls") },
      keyVaultId,
      deployerObjectId,
      ownerObjectIds: [deployerObjectId],
      privateDns: config.network.access === "private" && fd.privateIpAddress !== null ? { virtualNetworkId, ipAddress: fd.privateIpAddress } : null,
    });
    return {
      clientId: frontDoor.application.clientId,
      certificateUri: frontDoor.certificate.versionlessId,
      certificateIdentityClientId: frontDoor.certificateIdentity.clientId,
    };
  }

  /** Named outputs for people and scripts (`cdktf output`, `npm run values`); secrets are sensitive. */
  private declareOutputs(): void {
    const o = this.outputs;
    const plain: Record<string, string | null> = {
      resource_group_name: o.resourceGroupName,
      cluster_name: o.clusterName,
      oidc_issuer_url: o.oidcIssuerUrl,
      registry_login_server: o.registryLoginServer,
      push_principal_client_id: o.pushPrincipalClientId,
      storage_account_name: o.storageAccountName,
      file_share_name: o.fileShareName,
      artifact_container_name: o.artifactContainerName,
      backup_container_name: o.backupContainerName,
      disk_encryption_set_id: o.diskEncryptionSetId,
      ...(o.frontDoor
        ? {
            tenant_id: o.tenantId,
            front_door_client_id: o.frontDoor.clientId,
            front_door_certificate_uri: o.frontDoor.certificateUri,
            front_door_certificate_identity_client_id: o.frontDoor.certificateIdentityClientId,
          }
        : {}),
    };
    const sensitive: Record<string, string> = {
      cluster_host: o.clusterHost,
      cluster_ca_certificate: o.clusterCaCertificate,
      push_principal_password: o.pushPrincipalPassword,
      storage_account_key: o.storageAccountKey,
    };
    for (const [name, value] of Object.entries(plain)) if (value !== null) new TerraformOutput(this, name, { value });
    for (const [name, value] of Object.entries(sensitive)) new TerraformOutput(this, name, { value, sensitive: true });
  }
}
