import { crossStackRef, OFF_DEFAULT_ENV, onlyResourceOf, refOf, resourcesOf, synthAll, type TerraformJson } from "../support/stacks";

// The private platform (staging, prod; dev is public, see public-platform.test.ts): one VNet per environment in its own
// network stack, private endpoints and private DNS for the registry, storage and Key Vault, a private API server, and
// one customer-managed key for storage and disks.

const app = synthAll(privateDev());
const infra = (env: string): TerraformJson => app.json(`infra-${env}`);
const network = (env: string): TerraformJson => app.json(`network-${env}`);
const [dev, staging, prod] = ["dev", "staging", "prod"].map(infra) as [TerraformJson, TerraformJson, TerraformJson];
const all = [
  ["dev", dev],
  ["staging", staging],
  ["prod", prod],
] as const;
const networks = [
  ["dev", network("dev")],
  ["staging", network("staging")],
  ["prod", network("prod")],
] as const;

/** dev switched to private mode, so that every environment shows the private design. */
function privateDev(): NodeJS.ProcessEnv {
  return { MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ dev: { network: { access: "private" }, encryption: { customerManagedKey: true } } }) };
}

/** How infra-<env> refers to a resource id of network-<env>. */
function networkId(env: string, type: string, idPattern: RegExp): string {
  return crossStackRef(network(env), `network-${env}`, refOf(network(env), type, "id", idPattern));
}

/** The resource of a type whose logical id (construct path) contains `part`. */
function byPath(json: TerraformJson, type: string, part: string): Record<string, any> {
  const matches = Object.entries(json.resource[type] ?? {}).filter(([id]) => id.includes(part));
  if (matches.length !== 1) throw new Error(`expected one ${type} with ${part} in its id, found ${matches.length}`);
  return matches[0]![1];
}
const dependsOn = (resource: Record<string, any>): string[] => resource.depends_on ?? [];
const address = (json: TerraformJson, type: string, part: string) => refOf(json, type, "id", new RegExp(part)).replace(/^\$\{|\.id\}$/g, "");

describe("virtual network (network-<env>)", () => {
  it.each(["dev", "staging", "prod"])("%s: the infra stack holds no network of its own", (env) => {
    for (const type of ["azurerm_virtual_network", "azurerm_subnet", "azurerm_network_security_group", "azurerm_private_dns_zone", "azurerm_nat_gateway"]) {
      expect(resourcesOf(infra(env), type)).toEqual([]);
    }
  });

  it.each([
    ["dev", network("dev"), "10.20"],
    ["staging", network("staging"), "10.21"],
    ["prod", network("prod"), "10.22"],
  ])("%s: its own /16 with nodes, endpoints and runners subnets, in its own resource group", (env, json, net) => {
    expect(onlyResourceOf(json, "azurerm_resource_group").name).toBe(`rg-mlflow-${env}-network`);
    expect(onlyResourceOf(json, "azurerm_virtual_network").address_space).toEqual([`${net}.0.0/16`]);
    const prefixes = Object.fromEntries(resourcesOf(json, "azurerm_subnet").map((s) => [s.name, s.address_prefixes]));
    expect(prefixes).toEqual({ nodes: [`${net}.0.0/22`], endpoints: [`${net}.4.0/24`], runners: [`${net}.5.0/24`] });
  });

  it.each(networks)("%s: no subnet has default outbound access, and each has its own NSG", (_env, json) => {
    const subnets = resourcesOf(json, "azurerm_subnet");
    for (const subnet of subnets) expect(subnet.default_outbound_access_enabled).toBe(false);
    const links = resourcesOf(json, "azurerm_subnet_network_security_group_association");
    expect(links.map((l) => l.subnet_id).sort()).toEqual(
      ["endpoints", "nodes", "runners"].map((s) => refOf(json, "azurerm_subnet", "id", new RegExp(`network_${s}-subnet`))).sort(),
    );
    expect(new Set(links.map((l) => l.network_security_group_id)).size).toBe(3);
    // No rule of ours: Azure's defaults deny inbound traffic from outside the VNet.
    for (const nsg of resourcesOf(json, "azurerm_network_security_group")) expect(nsg.security_rule).toBeUndefined();
  });

  it("the runners subnet is delegated to GitHub-hosted runners, or to nothing for self-hosted ones", () => {
    expect(byPath(network("dev"), "azurerm_subnet", "runners-subnet").delegation).toEqual([
      {
        name: "github-runners",
        service_delegation: { name: "GitHub.Network/networkSettings", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
      },
    ]);
    const selfHosted = synthAll(OFF_DEFAULT_ENV).json("network-staging");
    expect(byPath(selfHosted, "azurerm_subnet", "runners-subnet").delegation).toBeUndefined();
  });

  it.each(networks)("%s: runners leave through a NAT gateway with one static address; no other subnet gets one", (_env, json) => {
    const nat = onlyResourceOf(json, "azurerm_subnet_nat_gateway_association");
    expect(nat.subnet_id).toBe(refOf(json, "azurerm_subnet", "id", /runners-subnet/));
    expect(onlyResourceOf(json, "azurerm_public_ip")).toMatchObject({ sku: "Standard", allocation_method: "Static" });
  });
});

describe("private endpoints and private DNS", () => {
  const zones = {
    blob: "privatelink.blob.core.windows.net",
    file: "privatelink.file.core.windows.net",
    registry: "privatelink.azurecr.io",
    vault: "privatelink.vaultcore.azure.net",
  };

  it.each(networks)("%s: one private DNS zone per service, linked to the VNet without auto-registration", (_env, json) => {
    expect(
      resourcesOf(json, "azurerm_private_dns_zone")
        .map((z) => z.name)
        .sort(),
    ).toEqual(Object.values(zones).sort());
    const links = resourcesOf(json, "azurerm_private_dns_zone_virtual_network_link");
    expect(links).toHaveLength(4);
    for (const link of links) {
      expect(link).toMatchObject({ virtual_network_id: refOf(json, "azurerm_virtual_network", "id"), registration_enabled: false });
    }
  });

  it.each(all)(
    "%s: the registry, the storage account (blob, file) and the Key Vault each get an endpoint in the network stack's endpoints subnet, registered in their zone",
    (env, json) => {
      const targets: [string, string, string, keyof typeof zones][] = [
        ["registry-endpoint", "azurerm_container_registry", "registry", "registry"],
        ["blob-endpoint", "azurerm_storage_account", "blob", "blob"],
        ["file-endpoint", "azurerm_storage_account", "file", "file"],
        ["vault-endpoint", "azurerm_key_vault", "vault", "vault"],
      ];
      expect(resourcesOf(json, "azurerm_private_endpoint")).toHaveLength(targets.length);
      for (const [id, type, subresource, zone] of targets) {
        const endpoint = byPath(json, "azurerm_private_endpoint", id);
        expect(endpoint.subnet_id).toBe(networkId(env, "azurerm_subnet", /endpoints-subnet/));
        expect(endpoint.private_service_connection).toMatchObject({
          private_connection_resource_id: refOf(json, type, "id"),
          subresource_names: [subresource],
          is_manual_connection: false,
        });
        expect(endpoint.private_dns_zone_group.private_dns_zone_ids).toEqual([
          networkId(env, "azurerm_private_dns_zone", new RegExp(`network_${zone}-dns-zone`)),
        ]);
      }
    },
  );

  it.each(all)("%s: registry, storage account and Key Vault refuse public network access", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_container_registry")).toMatchObject({ public_network_access_enabled: false, export_policy_enabled: false });
    expect(onlyResourceOf(json, "azurerm_storage_account").public_network_access_enabled).toBe(false);
    expect(onlyResourceOf(json, "azurerm_key_vault")).toMatchObject({
      public_network_access_enabled: false,
      network_acls: { default_action: "Deny", bypass: "AzureServices" },
    });
  });

  it.each(all)("%s: Terraform never needs the storage data plane, and never purges a deleted vault or key", (_env, json) => {
    const features = (json.provider as Record<string, any>).azurerm[0].features[0];
    expect(features.storage).toEqual([{ data_plane_available: false }]);
    expect(features.key_vault[0]).toMatchObject({ purge_soft_delete_on_destroy: false, purge_soft_deleted_keys_on_destroy: false });
  });
});

describe("private cluster", () => {
  it.each(all)("%s: the API server has only a private address, resolved through an AKS-managed private zone", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_kubernetes_cluster")).toMatchObject({
      private_cluster_enabled: true,
      private_dns_zone_id: "System",
      private_cluster_public_fqdn_enabled: false,
    });
  });

  it.each(all)("%s: both node pools live in the network stack's nodes subnet, which the cluster identity may join before the cluster exists", (env, json) => {
    const nodes = networkId(env, "azurerm_subnet", /nodes-subnet/);
    const cluster = onlyResourceOf(json, "azurerm_kubernetes_cluster");
    expect(cluster.default_node_pool.vnet_subnet_id).toBe(nodes);
    expect(onlyResourceOf(json, "azurerm_kubernetes_cluster_node_pool").vnet_subnet_id).toBe(nodes);
    const grant = byPath(json, "azurerm_role_assignment", "identity-network-contributor");
    expect(grant).toMatchObject({
      scope: nodes,
      role_definition_name: "Network Contributor",
      principal_id: refOf(json, "azurerm_user_assigned_identity", "principal_id", /aks/),
    });
    expect(dependsOn(cluster)).toContain(address(json, "azurerm_role_assignment", "identity-network-contributor"));
  });
});

describe("customer-managed key", () => {
  it.each(all)("%s: a Premium Key Vault with RBAC, purge protection and 90 days of soft delete", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_key_vault")).toMatchObject({
      sku_name: "premium",
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
    });
  });

  it.each(all)("%s: an HSM-backed RSA key for wrapping only, rotated by Key Vault a month before its yearly expiry", (_env, json) => {
    const key = onlyResourceOf(json, "azurerm_key_vault_key");
    expect(key).toMatchObject({
      key_type: "RSA-HSM",
      key_size: 3072,
      key_opts: ["wrapKey", "unwrapKey"],
      expiration_date: refOf(json, "time_offset", "rfc3339"),
      rotation_policy: { expire_after: "P1Y", automatic: { time_before_expiry: "P30D" } },
    });
    expect(key.lifecycle.ignore_changes).toEqual(["expiration_date"]);
  });

  it.each(all)("%s: the key is created through the private endpoint, after the deployer's Crypto Officer role has propagated", (_env, json) => {
    const key = onlyResourceOf(json, "azurerm_key_vault_key");
    const officer = byPath(json, "azurerm_role_assignment", "deployer-crypto-officer");
    expect(officer).toMatchObject({ scope: refOf(json, "azurerm_key_vault", "id"), role_definition_name: "Key Vault Crypto Officer" });
    const wait = byPath(json, "time_sleep", "crypto-officer-propagation");
    expect(dependsOn(wait)).toEqual([address(json, "azurerm_role_assignment", "deployer-crypto-officer")]);
    expect(dependsOn(key)).toEqual(
      expect.arrayContaining([address(json, "time_sleep", "crypto-officer-propagation"), address(json, "azurerm_private_endpoint", "vault-endpoint")]),
    );
  });

  it.each(all)("%s: storage is encrypted with the versionless key through its own identity, granted on the key only", (_env, json) => {
    const identity = refOf(json, "azurerm_user_assigned_identity", "id", /storage-identity/);
    const account = onlyResourceOf(json, "azurerm_storage_account");
    expect(account.identity).toEqual({ type: "UserAssigned", identity_ids: [identity] });
    expect(account.customer_managed_key).toEqual({
      key_vault_key_id: refOf(json, "azurerm_key_vault_key", "versionless_id"),
      user_assigned_identity_id: identity,
    });
    expect(byPath(json, "azurerm_role_assignment", "storage-key-user")).toMatchObject({
      scope: refOf(json, "azurerm_key_vault_key", "resource_versionless_id"),
      role_definition_name: "Key Vault Crypto Service Encryption User",
      principal_id: refOf(json, "azurerm_user_assigned_identity", "principal_id", /storage-identity/),
    });
    expect(dependsOn(account)).toContain(address(json, "time_sleep", "storage-key-user-propagation"));
  });

  it.each(all)("%s: node disks use a disk encryption set that follows key rotations; the cluster identity may read it", (_env, json) => {
    const set = onlyResourceOf(json, "azurerm_disk_encryption_set");
    expect(set).toMatchObject({
      key_vault_key_id: refOf(json, "azurerm_key_vault_key", "versionless_id"),
      auto_key_rotation_enabled: true,
      encryption_type: "EncryptionAtRestWithCustomerKey",
      identity: { type: "SystemAssigned" },
    });
    expect(byPath(json, "azurerm_role_assignment", "disk-encryption-set-key-user")).toMatchObject({
      scope: refOf(json, "azurerm_key_vault_key", "resource_versionless_id"),
      role_definition_name: "Key Vault Crypto Service Encryption User",
      principal_id: refOf(json, "azurerm_disk_encryption_set", "identity[0].principal_id"),
    });
    const cluster = onlyResourceOf(json, "azurerm_kubernetes_cluster");
    expect(cluster.disk_encryption_set_id).toBe(refOf(json, "azurerm_disk_encryption_set", "id"));
    expect(byPath(json, "azurerm_role_assignment", "identity-disk-encryption-reader")).toMatchObject({
      scope: refOf(json, "azurerm_disk_encryption_set", "id"),
      role_definition_name: "Reader",
    });
    expect(dependsOn(cluster)).toContain(address(json, "time_sleep", "disk-encryption-set-key-user-propagation"));
  });

  it("no identity gets a key role wider than the key, and only the deployer manages keys", () => {
    for (const [, json] of all) {
      const keyRoles = resourcesOf(json, "azurerm_role_assignment").filter((r) => String(r.role_definition_name).startsWith("Key Vault"));
      expect(keyRoles.map((r) => r.role_definition_name).sort()).toEqual([
        "Key Vault Crypto Officer",
        "Key Vault Crypto Service Encryption User",
        "Key Vault Crypto Service Encryption User",
      ]);
    }
  });

  it("losing the key loses the data: vault and key are protected from destroy where data protection is on", () => {
    for (const json of [staging, prod]) {
      expect(onlyResourceOf(json, "azurerm_key_vault").lifecycle).toEqual({ prevent_destroy: true });
      expect(onlyResourceOf(json, "azurerm_key_vault_key").lifecycle).toMatchObject({ prevent_destroy: true });
    }
    expect(onlyResourceOf(dev, "azurerm_key_vault").lifecycle).toBeUndefined();
    expect(onlyResourceOf(dev, "azurerm_key_vault_key").lifecycle.prevent_destroy).toBeUndefined();
  });
});

describe("outputs", () => {
  it.each(["dev", "staging", "prod"])("%s: the disk encryption set (infra) and the runner subnet (network) are plain outputs", (env) => {
    expect(infra(env).output!.disk_encryption_set_id).toEqual({ value: refOf(infra(env), "azurerm_disk_encryption_set", "id") });
    expect(network(env).output!.runner_subnet_id).toEqual({ value: refOf(network(env), "azurerm_subnet", "id", /runners-subnet/) });
  });
});
