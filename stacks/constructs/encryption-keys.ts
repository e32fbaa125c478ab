import { DiskEncryptionSet } from "@cdktf/provider-azurerm/lib/disk-encryption-set";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Offset } from "@cdktf/provider-time/lib/offset";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ServiceAccess } from "./service-access";

export interface EncryptionKeysProps {
  resourceGroupName: string;
  location: string;
  tenantId: string;
  keyVaultName: string;
  diskEncryptionSetName: string;
  storageIdentityName: string;
  /** The identity running Terraform: it creates the key through the data plane. */
  deployerObjectId: string;
  /** Private endpoint, or a public endpoint limited to the authorized ranges (the deployer creates the key) and the nodes. */
  access: ServiceAccess;
  /** prevent_destroy on the vault and the key: without the key, every disk and blob it encrypts is unreadable. */
  dataProtection: boolean;
}

const CRYPTO_OFFICER = "Key Vault Crypto Officer";
const ENCRYPTION_USER = "Key Vault Crypto Service Encryption User";
const KEY_LIFETIME_YEARS = 1;

/**
 * The environment's customer-managed key (encryption.customerManagedKey): an HSM-backed RSA key in a Key Vault (RBAC,
 * purge protection) reached through a private endpoint, or in public mode through a public endpoint that denies every
 * address except the authorized ranges and the nodes subnet,
 * rotated by Key Vault before it expires. It encrypts the storage account (through a user-assigned identity that
 * exists before the account) and every managed disk of the cluster (through a disk encryption set that AKS uses
 * for node disks and the chart's StorageClass for the MySQL disk). Consumers reference the versionless key id, so
 * they follow rotations on their own.
 */
export class EncryptionKeys extends Construct {
  readonly vault: KeyVault;
  readonly key: KeyVaultKey;
  readonly diskEncryptionSet: DiskEncryptionSet;
  readonly storageIdentity: UserAssignedIdentity;
  /** What a consumer of the key waits for: its identity may use the key. */
  readonly storageKeyAccess: ITerraformDependable;
  readonly diskKeyAccess: ITerraformDependable;

  constructor(scope: Construct, id: string, props: EncryptionKeysProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };
    const lifecycle = props.dataProtection ? { preventDestroy: true } : undefined;
    const access = props.access;

    this.vault = new KeyVault(this, "vault", {
      ...common,
      name: props.keyVaultName,
      tenantId: props.tenantId,
      // Premium: the key lives in an HSM.
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: access.kind === "public",
      // Storage and disk encryption reach the vault as trusted services; everyone else through the private endpoint,
      // or in public mode from the authorized ranges and the nodes subnet.
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: access.kind === "public" ? access.authorizedIpRanges : undefined,
        virtualNetworkSubnetIds: access.kind === "public" ? [access.nodesSubnetId] : undefined,
      },
      lifecycle,
    });
    const endpoint =
      access.kind === "private"
        ? access.links.endpoint("vault-endpoint", { name: `pe-${props.keyVaultName}`, resourceId: this.vault.id, service: "vault", subresource: "vault" })
        : undefined;

    const officer = new RoleAssignment(this, "deployer-crypto-officer", {
      scope: this.vault.id,
      roleDefinitionName: CRYPTO_OFFICER,
      principalId: props.deployerObjectId,
    });
    // Azure RBAC takes a while to reach Key Vault's data plane; creating the key at once fails with 403.
    const officerReady = new Sleep(this, "crypto-officer-propagation", { createDuration: "90s", dependsOn: [officer] });

    const expiry = new Offset(this, "key-expiry", { offsetYears: KEY_LIFETIME_YEARS });
    this.key = new KeyVaultKey(this, "key", {
      name: "platform-data",
      keyVaultId: this.vault.id,
      keyType: "RSA-HSM",
      keySize: 3072,
      keyOpts: ["wrapKey", "unwrapKey"],
      expirationDate: expiry.rfc3339,
      rotationPolicy: {
        expireAfter: `P${KEY_LIFETIME_YEARS}Y`,
        notifyBeforeExpiry: "P30D",
        automatic: { timeBeforeExpiry: "P30D" },
      },
      dependsOn: endpoint ? [officerReady, endpoint] : [officerReady],
      lifecycle: {
        ...lifecycle,
        // Each rotation makes a new version with its own expiry; the first version's date is history.
        ignoreChanges: ["expiration_date"],
      },
    });

    this.storageIdentity = new UserAssignedIdentity(this, "storage-identity", { ...common, name: props.storageIdentityName });
    this.storageKeyAccess = this.allowKeyUse("storage", this.storageIdentity.principalId);

    this.diskEncryptionSet = new DiskEncryptionSet(this, "disk-encryption-set", {
      ...common,
      name: props.diskEncryptionSetName,
      keyVaultKeyId: this.key.versionlessId,
      autoKeyRotationEnabled: true,
      encryptionType: "EncryptionAtRestWithCustomerKey",
      identity: { type: "SystemAssigned" },
    });
    this.diskKeyAccess = this.allowKeyUse("disk-encryption-set", this.diskEncryptionSet.identity.principalId);
  }

  /** Lets an identity wrap and unwrap with the key (and nothing else), then waits for the grant to take effect. */
  private allowKeyUse(id: string, principalId: string): ITerraformDependable {
    const grant = new RoleAssignment(this, `${id}-key-user`, {
      scope: this.key.resourceVersionlessId,
      roleDefinitionName: ENCRYPTION_USER,
      principalId,
      skipServicePrincipalAadCheck: true,
    });
    return new Sleep(this, `${id}-key-user-propagation`, { createDuration: "60s", dependsOn: [grant] });
  }
}
