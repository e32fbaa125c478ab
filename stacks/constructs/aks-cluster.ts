import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { EnvironmentConfig, MaintenanceWindowConfig } from "../../config";

export interface AksClusterProps {
  name: string;
  dnsPrefix: string;
  nodeResourceGroup: string;
  resourceGroupName: string;
  location: string;
  tenantId: string;
  kubernetes: EnvironmentConfig["kubernetes"];
  /** Principals (the deploying identity among them) that get cluster-admin through Azure RBAC. */
  adminPrincipalIds: { id: string; objectId: string }[];
  /** Log Analytics workspace for container insights. */
  logAnalyticsWorkspaceId: string;
}

const CLUSTER_ADMIN_ROLE = "Azure Kubernetes Service RBAC Cluster Admin";
const MAX_SURGE = "33%";

/**
 * AKS with Entra ID + Azure RBAC, workload identity, Azure CNI overlay with Cilium network
 * policy, managed upgrades in maintenance windows, a system pool and an autoscaling pool for
 * MLflow and project Jobs.
 */
export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly userPool: KubernetesClusterNodePool;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const k = props.kubernetes;
    const system = k.systemPool;

    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      nodeResourceGroup: props.nodeResourceGroup,
      dnsPrefix: props.dnsPrefix,
      kubernetesVersion: k.version,
      skuTier: k.skuTier,
      automaticUpgradeChannel: k.automaticUpgradeChannel,
      nodeOsUpgradeChannel: k.nodeOsUpgradeChannel,
      maintenanceWindowAutoUpgrade: weeklyWindow(k.upgradeWindow),
      maintenanceWindowNodeOs: weeklyWindow(k.nodeOsWindow),
      identity: { type: "SystemAssigned" },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: props.tenantId },
      localAccountDisabled: !k.localAccountsEnabled,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      // Ready for Key Vault-backed secrets; rotation keeps mounted secrets current.
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: "2m" },
      imageCleanerIntervalHours: 48,
      apiServerAccessProfile: k.apiServerAuthorizedIpRanges.length > 0 ? { authorizedIpRanges: k.apiServerAuthorizedIpRanges } : undefined,
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: "cilium",
        networkPolicy: "cilium",
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
        podCidr: k.network.podCidr,
        serviceCidr: k.network.serviceCidr,
        dnsServiceIp: k.network.dnsServiceIp,
      },
      // The chart needs the Azure Disk (MySQL) and Azure Files (project files) CSI drivers.
      storageProfile: { diskDriverEnabled: true, fileDriverEnabled: true, blobDriverEnabled: false, snapshotControllerEnabled: true },
      defaultNodePool: {
        name: system.name,
        // AKS recreates the system pool under this name when a change needs a new pool.
        temporaryNameForRotation: `${system.name.slice(0, 8)}tmp`,
        vmSize: system.vmSize,
        autoScalingEnabled: true,
        minCount: system.minCount,
        maxCount: system.maxCount,
        maxPods: system.maxPods,
        osDiskSizeGb: system.osDiskSizeGb,
        osDiskType: system.osDiskType,
        hostEncryptionEnabled: k.hostEncryption,
        osSku: "AzureLinux",
        zones: system.zones.length > 0 ? system.zones : undefined,
        onlyCriticalAddonsEnabled: system.onlyCriticalAddons,
        upgradeSettings: { maxSurge: MAX_SURGE },
      },
      lifecycle: {
        // The autoscaler owns the node count between min and max.
        ignoreChanges: ["default_node_pool[0].node_count"],
      },
    });

    const pool = k.userPool;
    this.userPool = new KubernetesClusterNodePool(this, "user-pool", {
      name: pool.name,
      kubernetesClusterId: this.cluster.id,
      mode: "User",
      vmSize: pool.vmSize,
      autoScalingEnabled: true,
      minCount: pool.minCount,
      maxCount: pool.maxCount,
      maxPods: pool.maxPods,
      osDiskSizeGb: pool.osDiskSizeGb,
      osDiskType: pool.osDiskType,
      hostEncryptionEnabled: k.hostEncryption,
      osSku: "AzureLinux",
      zones: pool.zones.length > 0 ? pool.zones : undefined,
      nodeLabels: { "mlflow.workload": "true" },
      upgradeSettings: { maxSurge: MAX_SURGE },
      lifecycle: { ignoreChanges: ["node_count"] },
    });

    props.adminPrincipalIds.forEach((principal) => {
      new RoleAssignment(this, `cluster-admin-${principal.id}`, {
        scope: this.cluster.id,
        roleDefinitionName: CLUSTER_ADMIN_ROLE,
        principalId: principal.objectId,
      });
    });
  }

  /** Object id of the kubelet identity: the identity nodes pull images with. */
  get kubeletObjectId(): string {
    return this.cluster.kubeletIdentity.objectId;
  }
}

function weeklyWindow(w: MaintenanceWindowConfig) {
  return { frequency: "Weekly", interval: 1, dayOfWeek: w.dayOfWeek, startTime: w.startTime, duration: w.durationHours, utcOffset: w.utcOffset };
}
