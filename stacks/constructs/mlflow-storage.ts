import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { StorageShare } from "@cdktf/provider-azurerm/lib/storage-share";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";
import { PROJECT_FILE_SHARE_TIER } from "../../config/azure/limits";
import { type ServiceAccess, storageIpRules } from "./service-access";

export interface MlflowStorageProps {
  accountName: string;
  resourceGroupName: string;
  location: string;
  storage: EnvironmentConfig["storage"];
  /** prevent_destroy on the account, share and container (they hold user data). */
  dataProtection: boolean;
  /** Blob and file private endpoints, or a public endpoint limited to the authorized ranges and the nodes subnet. */
  access: ServiceAccess;
  /** The customer-managed key (versionless id), the identity that reads it, and the grant to wait for; null: Microsoft-managed keys. */
  encryption: { keyVaultKeyId: string; identityId: string; ready: ITerraformDependable } | null;
}

/**
 * The storage account behind MLflow: an Azure Files share for project files (mounted into Jobs),
 * a private blob container for artifacts and one for backups of the backend store. Private mode: reachable only through
 * private endpoints (blob for MLflow and backups, file for project Jobs). Public mode: the public endpoint denies every
 * address except the authorized ranges and the nodes subnet (service endpoint). Encrypted with the environment's
 * customer-managed key where it has one. Shared keys stay enabled on purpose: the Azure Files CSI volume and the tracking server authenticate with the
 * account key (docs/security.md). Terraform manages it through Azure Resource Manager only (the provider's storage
 * data plane is off), so plans never need to reach the private account.
 */
export class MlflowStorage extends Construct {
  readonly account: StorageAccount;
  readonly share: StorageShare;
  readonly artifactContainer: StorageContainer;
  readonly backupContainer: StorageContainer;

  constructor(scope: Construct, id: string, props: MlflowStorageProps) {
    super(scope, id);
    const s = props.storage;
    const lifecycle = props.dataProtection ? { preventDestroy: true } : undefined;
    const { access, encryption } = props;

    this.account = new StorageAccount(this, "account", {
      name: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: "StorageV2",
      // config/ checks the share quota against this tier's limit.
      accountTier: PROJECT_FILE_SHARE_TIER,
      accountReplicationType: s.replication,
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      sharedAccessKeyEnabled: true,
      publicNetworkAccessEnabled: access.kind === "public",
      // Azure Monitor and backup reach the account as trusted services; in public mode also the authorized ranges and
      // the nodes (same-region traffic is only matched by subnet rules, never by IP rules).
      networkRules: {
        defaultAction: "Deny",
        bypass: ["AzureServices", "Logging", "Metrics"],
        ipRules: access.kind === "public" ? storageIpRules(access.authorizedIpRanges) : undefined,
        virtualNetworkSubnetIds: access.kind === "public" ? [access.nodesSubnetId] : undefined,
      },
      identity: encryption ? { type: "UserAssigned", identityIds: [encryption.identityId] } : undefined,
      customerManagedKey: encryption ? { keyVaultKeyId: encryption.keyVaultKeyId, userAssignedIdentityId: encryption.identityId } : undefined,
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        changeFeedRetentionInDays: s.softDeleteDays,
        deleteRetentionPolicy: { days: s.softDeleteDays },
        containerDeleteRetentionPolicy: { days: s.softDeleteDays },
      },
      shareProperties: { retentionPolicy: { days: s.softDeleteDays } },
      // Shared access signatures are not used; any that appear are logged after a day.
      sasPolicy: { expirationPeriod: "1.00:00:00", expirationAction: "Log" },
      dependsOn: encryption ? [encryption.ready] : undefined,
      lifecycle,
    });
    if (access.kind === "private") {
      for (const subresource of ["blob", "file"] as const) {
        access.links.endpoint(`${subresource}-endpoint`, {
          name: `pe-${props.accountName}-${subresource}`,
          resourceId: this.account.id,
          service: subresource,
          subresource,
        });
      }
    }

    this.share = new StorageShare(this, "project-share", {
      name: s.fileShareName,
      storageAccountId: this.account.id,
      quota: s.fileShareQuotaGb,
      enabledProtocol: "SMB",
      accessTier: "TransactionOptimized",
      lifecycle,
    });

    this.artifactContainer = new StorageContainer(this, "artifact-container", {
      name: s.artifactContainerName,
      storageAccountId: this.account.id,
      containerAccessType: "private",
      lifecycle,
    });
    this.backupContainer = new StorageContainer(this, "backup-container", {
      name: s.backupContainerName,
      storageAccountId: this.account.id,
      containerAccessType: "private",
      lifecycle,
    });

    // Versioning keeps every overwritten or deleted blob; old versions go once soft delete would have let them go.
    new StorageManagementPolicy(this, "version-cleanup", {
      storageAccountId: this.account.id,
      rule: [
        {
          name: "delete-old-versions",
          enabled: true,
          filters: { blobTypes: ["blockBlob"] },
          actions: { version: { deleteAfterDaysSinceCreation: s.softDeleteDays } },
        },
      ],
    });
  }
}
