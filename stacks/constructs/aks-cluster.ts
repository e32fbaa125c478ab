import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig, MaintenanceWindowConfig } from "../../config";
import { UPGRADE_SURGE_PERCENT } from "../../config/azure/kubernetes";

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
  /** The control plane's own identity, created first so that it can be granted the subnet and the disk encryption set. */
  identityName: string;
  /** Subnet of every node pool. */
  nodesSubnetId: string;
  /** Customer-managed key for node disks, and the grant that lets the set use its key; null: Microsoft-managed keys. */
  diskEncryption: { setId: string; ready: ITerraformDependable } | null;
  /**
   * private: the API server has only a private address in the VNet. public: a public API server that admits only the
   * authorized ranges, and nodes leave through a static address of ours (the registry allows it by address).
   */
  access: { kind: "private" } | { kind: "public"; authorizedIpRanges: string[]; egressIpId: string };
}

const CLUSTER_ADMIN_ROLE = "Azure Kubernetes Service RBAC Cluster Admin";
// One number with config/, whose rules count the surge nodes' addresses.
const MAX_SURGE = `${UPGRADE_SURGE_PERCENT}%`;

/**
 * AKS, private (the API server has only a private address in the VNet, resolved through an AKS-managed private DNS
 * zone) or public (the API server admits only the authorized ranges), with Entra ID + Azure RBAC, workload identity,
 * Azure CNI overlay with Cilium network policy, node disks encrypted with the environment's customer-managed key where
 * it has one, managed upgrades in maintenance windows, a system pool and
 * an autoscaling pool for MLflow and project Jobs.
 */
export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly userPool: KubernetesClusterNodePool;
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const k = props.kubernetes;
    const system = k.systemPool;
    const { access, diskEncryption } = props;

    this.identity = new UserAssignedIdentity(this, "identity", {
      name: props.identityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    // Nodes join the subnet (and in public mode the load balancer takes our egress address); the CSI driver creates
    // MySQL's disk with the disk encryption set.
    const grant = (id: string, scope: string, roleDefinitionName: string) =>
      new RoleAssignment(this, id, { scope, roleDefinitionName, principalId: this.identity.principalId, skipServicePrincipalAadCheck: true });
    const grants = [grant("identity-network-contributor", props.nodesSubnetId, "Network Contributor")];
    if (access.kind === "public") grants.push(grant("identity-egress-ip-contributor", access.egressIpId, "Network Contributor"));
    if (diskEncryption) grants.push(grant("identity-disk-encryption-reader", diskEncryption.setId, "Reader"));

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
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      ...(access.kind === "private"
        ? { privateClusterEnabled: true, privateDnsZoneId: "System", privateClusterPublicFqdnEnabled: false }
        : { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: access.authorizedIpRanges } }),
      diskEncryptionSetId: diskEncryption?.setId,
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
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: "cilium",
        networkPolicy: "cilium",
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
        loadBalancerProfile: access.kind === "public" ? { outboundIpAddressIds: [access.egressIpId] } : undefined,
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
        vnetSubnetId: props.nodesSubnetId,
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
      dependsOn: diskEncryption ? [...grants, diskEncryption.ready] : grants,
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
      vnetSubnetId: props.nodesSubnetId,
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
