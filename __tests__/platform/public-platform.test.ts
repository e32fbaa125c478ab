import { storageIpRules } from "../../stacks/constructs/service-access";
import { AUTHORIZED_RANGES as RANGES, crossStackRef, onlyResourceOf, PIPELINE_ENV, refOf, resourcesOf, synthAll } from "../support/stacks";

// Public mode (dev's default): no runners, no private endpoints; the API server, registry, storage (and Key Vault, with
// customer-managed keys) keep public endpoints that deny every address except the authorized ranges and the cluster.

// dev without its customer-managed key: the cheapest public environment (the key is covered below).
const app = synthAll({
  MLFLOW_AUTHORIZED_IP_RANGES: RANGES.join(","),
  MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ dev: { encryption: { customerManagedKey: false } } }),
});
const network = app.json("network-dev");
const infra = app.json("infra-dev");
const nodesSubnet = crossStackRef(network, "network-dev", refOf(network, "azurerm_subnet", "id", /nodes-subnet/));
const egressIp = refOf(infra, "azurerm_public_ip", "id", /cluster-egress-ip/);

describe("public mode: network-dev", () => {
  it("is small: a VNet with the nodes subnet and its NSG, a service endpoint for storage, nothing else", () => {
    const subnet = onlyResourceOf(network, "azurerm_subnet");
    expect(subnet).toMatchObject({
      name: "nodes",
      address_prefixes: ["10.20.0.0/22"],
      default_outbound_access_enabled: false,
      service_endpoints: ["Microsoft.Storage"],
    });
    expect(onlyResourceOf(network, "azurerm_subnet_network_security_group_association").subnet_id).toBe(refOf(network, "azurerm_subnet", "id"));
    for (const type of ["azurerm_nat_gateway", "azurerm_public_ip", "azurerm_private_dns_zone"]) expect(resourcesOf(network, type)).toEqual([]);
    expect(
      Object.keys(network.output!)
        .filter((o) => !o.startsWith("cross-stack-output-"))
        .sort(),
    ).toEqual(["nodes_subnet_id", "virtual_network_id"]);
  });
});

describe("public mode: infra-dev", () => {
  const cluster = onlyResourceOf(infra, "azurerm_kubernetes_cluster");

  it("the API server is public and admits only the authorized ranges", () => {
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: RANGES });
    expect(cluster.private_dns_zone_id).toBeUndefined();
  });

  it("nodes join the network stack's nodes subnet and leave through a static address of ours, which the cluster identity may use", () => {
    expect(cluster.default_node_pool.vnet_subnet_id).toBe(nodesSubnet);
    expect(onlyResourceOf(infra, "azurerm_public_ip")).toMatchObject({ name: "pip-mlflow-dev-aks-egress", sku: "Standard", allocation_method: "Static" });
    expect(cluster.network_profile.load_balancer_profile).toEqual({ outbound_ip_address_ids: [egressIp] });
    const grant = resourcesOf(infra, "azurerm_role_assignment").find((r) => r.scope === egressIp);
    expect(grant).toMatchObject({
      role_definition_name: "Network Contributor",
      principal_id: refOf(infra, "azurerm_user_assigned_identity", "principal_id", /aks/),
    });
  });

  it("has no private endpoints, no runners, and (without customer-managed keys) no Key Vault or disk encryption set", () => {
    for (const type of ["azurerm_private_endpoint", "azurerm_key_vault", "azurerm_key_vault_key", "azurerm_disk_encryption_set", "azurerm_subnet"]) {
      expect(resourcesOf(infra, type)).toEqual([]);
    }
    expect(cluster.disk_encryption_set_id).toBeUndefined();
    const account = onlyResourceOf(infra, "azurerm_storage_account");
    expect(account.customer_managed_key).toBeUndefined();
    expect(account.identity).toBeUndefined();
    expect(infra.output!.disk_encryption_set_id).toBeUndefined();
  });

  it("the registry denies every address except the authorized ranges and the cluster's egress address", () => {
    expect(onlyResourceOf(infra, "azurerm_container_registry")).toMatchObject({
      sku: "Premium",
      public_network_access_enabled: true,
      network_rule_set: [
        {
          default_action: "Deny",
          ip_rule: [...RANGES, `${refOf(infra, "azurerm_public_ip", "ip_address", /cluster-egress-ip/)}/32`].map((ip_range) => ({ action: "Allow", ip_range })),
        },
      ],
    });
  });

  it("storage denies every address except the authorized ranges (/32 as a single address), the nodes subnet and trusted services", () => {
    expect(onlyResourceOf(infra, "azurerm_storage_account")).toMatchObject({
      public_network_access_enabled: true,
      network_rules: {
        default_action: "Deny",
        bypass: ["AzureServices", "Logging", "Metrics"],
        ip_rules: ["203.0.113.7", "198.51.100.0/24"],
        virtual_network_subnet_ids: [nodesSubnet],
      },
    });
  });

  it("nothing in any stack of any environment is open to the whole internet", () => {
    for (const env of ["dev", "staging", "prod"]) {
      for (const stack of [`network-${env}`, `infra-${env}`]) expect(JSON.stringify(app.json(stack))).not.toMatch(/0\.0\.0\.0\/0|"\*"/);
    }
  });
});

describe("public mode with customer-managed keys (dev's default)", () => {
  // dev as a pipeline deploys it: its defaults (customer-managed keys) with the authorized ranges (one shared synth).
  const cmk = synthAll(PIPELINE_ENV);
  const cmkNetwork = cmk.json("network-dev");
  const cmkInfra = cmk.json("infra-dev");

  it("the Key Vault denies every address except the authorized ranges (the deployer creates the key from one), the nodes and trusted services", () => {
    expect(onlyResourceOf(cmkInfra, "azurerm_key_vault")).toMatchObject({
      public_network_access_enabled: true,
      network_acls: {
        default_action: "Deny",
        bypass: "AzureServices",
        ip_rules: RANGES,
        virtual_network_subnet_ids: [crossStackRef(cmkNetwork, "network-dev", refOf(cmkNetwork, "azurerm_subnet", "id", /nodes-subnet/))],
      },
    });
    expect(onlyResourceOf(cmkNetwork, "azurerm_subnet").service_endpoints).toEqual(["Microsoft.KeyVault", "Microsoft.Storage"]);
  });

  it("storage and node disks use the key, with no private endpoint", () => {
    expect(onlyResourceOf(cmkInfra, "azurerm_storage_account").customer_managed_key).toBeDefined();
    expect(onlyResourceOf(cmkInfra, "azurerm_kubernetes_cluster").disk_encryption_set_id).toBe(refOf(cmkInfra, "azurerm_disk_encryption_set", "id"));
    expect(resourcesOf(cmkInfra, "azurerm_private_endpoint")).toEqual([]);
  });
});

describe("storage IP rules", () => {
  it("gives /32 and /31 as single addresses, wider ranges as CIDRs", () => {
    expect(storageIpRules(["203.0.113.7/32", "203.0.113.8/31", "198.51.100.0/30"])).toEqual(["203.0.113.7", "203.0.113.8", "203.0.113.9", "198.51.100.0/30"]);
  });
});
