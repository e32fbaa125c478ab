import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { onlyResourceOf, refOf, resourceNamed, resourcesOf, OFF_DEFAULT_ENV, synthAll, type TerraformJson } from "../support/stacks";

const app = synthAll();
const infra = (env: string): TerraformJson => app.json(`infra-${env}`);
const dev = infra("dev");
const staging = infra("staging");
const prod = infra("prod");

it("synthesizes the platform resources (cdktf matchers)", () => {
  const synthesized = JSON.stringify(prod);
  expect(synthesized).toHaveResourceWithProperties(KubernetesCluster, { name: "aks-mlflow-prod", local_account_disabled: true });
  expect(synthesized).toHaveResourceWithProperties(ContainerRegistry, { name: "crmlflowprodx7k2", admin_enabled: false });
  expect(synthesized).toHaveResourceWithProperties(StorageAccount, { name: "stmlflowprodx7k2", min_tls_version: "TLS1_2" });
  expect(synthesized).toHaveDataSource(DataAzurermClientConfig);
});

describe("AKS cluster", () => {
  const devCluster = onlyResourceOf(dev, "azurerm_kubernetes_cluster");
  const prodCluster = onlyResourceOf(prod, "azurerm_kubernetes_cluster");

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: its own user-assigned identity, OIDC issuer and workload identity", (_env, json) => {
    const cluster = onlyResourceOf(json, "azurerm_kubernetes_cluster");
    expect(cluster.identity).toEqual({ type: "UserAssigned", identity_ids: [refOf(json, "azurerm_user_assigned_identity", "id", /aks/)] });
    expect(cluster.oidc_issuer_enabled).toBe(true);
    expect(cluster.workload_identity_enabled).toBe(true);
  });

  it.each([
    ["dev", devCluster],
    ["prod", prodCluster],
  ])("%s: Azure CNI overlay with Cilium network policy", (_env, cluster) => {
    expect(cluster.network_profile).toMatchObject({
      network_plugin: "azure",
      network_plugin_mode: "overlay",
      network_policy: "cilium",
      network_data_plane: "cilium",
    });
  });

  it.each([
    ["dev", devCluster],
    ["prod", prodCluster],
  ])("%s: Entra ID with Azure RBAC, Azure Policy, CSI drivers for disks and files", (_env, cluster) => {
    expect(cluster.role_based_access_control_enabled).toBe(true);
    expect(cluster.azure_active_directory_role_based_access_control.azure_rbac_enabled).toBe(true);
    expect(cluster.azure_policy_enabled).toBe(true);
    expect(cluster.storage_profile).toMatchObject({ disk_driver_enabled: true, file_driver_enabled: true });
  });

  it("disables local accounts everywhere by default, and follows the environment's setting", () => {
    for (const json of [dev, staging, prod]) expect(onlyResourceOf(json, "azurerm_kubernetes_cluster").local_account_disabled).toBe(true);
    const withLocalAccounts = synthAll(OFF_DEFAULT_ENV);
    expect(onlyResourceOf(withLocalAccounts.json("infra-dev"), "azurerm_kubernetes_cluster").local_account_disabled).toBe(false);
  });

  it.each([
    ["dev", devCluster],
    ["prod", prodCluster],
  ])("%s: ephemeral OS disks, encryption at host, container insights, Key Vault secrets rotation", (_env, cluster) => {
    expect(cluster.default_node_pool).toMatchObject({ os_disk_type: "Ephemeral", host_encryption_enabled: true });
    expect(cluster.oms_agent).toEqual({
      log_analytics_workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\./),
      msi_auth_for_monitoring_enabled: true,
    });
    expect(cluster.key_vault_secrets_provider).toMatchObject({ secret_rotation_enabled: true });
  });

  it.each([
    ["dev", devCluster],
    ["prod", prodCluster],
  ])("%s: upgrades itself within weekly maintenance windows", (_env, cluster) => {
    expect(cluster.automatic_upgrade_channel).toMatch(/^(patch|stable)$/);
    expect(cluster.node_os_upgrade_channel).toBe("NodeImage");
    for (const window of [cluster.maintenance_window_auto_upgrade, cluster.maintenance_window_node_os]) {
      expect(window).toMatchObject({ frequency: "Weekly", interval: 1 });
      expect(window.duration).toBeGreaterThanOrEqual(4);
    }
  });

  it("prod: paid tier, zonal system pool reserved for critical add-ons", () => {
    expect(prodCluster.sku_tier).toBe("Standard");
    expect(prodCluster.default_node_pool).toMatchObject({ only_critical_addons_enabled: true, zones: ["1", "2", "3"], auto_scaling_enabled: true });
    expect(prodCluster.default_node_pool.min_count).toBeGreaterThanOrEqual(2);
  });

  it("dev: free tier and no zones; the system pool still keeps to critical add-ons", () => {
    expect(devCluster.sku_tier).toBe("Free");
    expect(devCluster.default_node_pool.only_critical_addons_enabled).toBe(true);
    expect(devCluster.default_node_pool.zones).toBeUndefined();
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: an autoscaling user pool for MLflow and project Jobs", (_env, json) => {
    const pool = onlyResourceOf(json, "azurerm_kubernetes_cluster_node_pool");
    expect(pool).toMatchObject({ mode: "User", name: "mlflow", auto_scaling_enabled: true });
    expect(pool.min_count).toBeLessThanOrEqual(pool.max_count);
    expect(pool.kubernetes_cluster_id).toBe(refOf(json, "azurerm_kubernetes_cluster", "id"));
  });

  it("grants cluster-admin through Azure RBAC to the deploying identity only by default", () => {
    const admins = resourcesOf(prod, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Azure Kubernetes Service RBAC Cluster Admin");
    expect(admins).toHaveLength(1);
    expect(admins[0]!.principal_id).toBe("${data.azurerm_client_config.deployer.object_id}");
  });
});

describe("container registry", () => {
  // Network access of each mode: private-platform.test.ts and public-platform.test.ts.
  it.each([
    ["dev", dev],
    ["staging", staging],
    ["prod", prod],
  ])("%s: Premium, no admin user, no anonymous pull", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_container_registry")).toMatchObject({
      sku: "Premium",
      admin_enabled: false,
      anonymous_pull_enabled: false,
      network_rule_bypass_option: "AzureServices",
      // Deprecated by Azure (Docker Content Trust); accepted in security/checkov-accepted.yaml.
      trust_policy_enabled: false,
    });
  });

  it("zone redundant with dedicated data endpoints everywhere; prod replicates and keeps untagged manifests 30 days, dev 7", () => {
    expect(onlyResourceOf(prod, "azurerm_container_registry")).toMatchObject({
      zone_redundancy_enabled: true,
      retention_policy_in_days: 30,
      data_endpoint_enabled: true,
      georeplications: [{ location: "northeurope", zone_redundancy_enabled: true }],
    });
    expect(onlyResourceOf(dev, "azurerm_container_registry")).toMatchObject({
      zone_redundancy_enabled: true,
      retention_policy_in_days: 7,
      data_endpoint_enabled: true,
    });
    expect(onlyResourceOf(dev, "azurerm_container_registry").georeplications).toBeUndefined();
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: the kubelet identity gets AcrPull on the registry", (_env, json) => {
    const pulls = resourcesOf(json, "azurerm_role_assignment").filter((r) => r.role_definition_name === "AcrPull");
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      scope: refOf(json, "azurerm_container_registry", "id"),
      principal_id: refOf(json, "azurerm_kubernetes_cluster", "kubelet_identity[0].object_id"),
    });
  });
});

describe("image push service principal", () => {
  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: holds exactly one role, AcrPush, scoped to the registry", (_env, json) => {
    const principalId = refOf(json, "azuread_service_principal", "object_id");
    const itsRoles = resourcesOf(json, "azurerm_role_assignment").filter((r) => r.principal_id === principalId);
    expect(itsRoles).toEqual([expect.objectContaining({ role_definition_name: "AcrPush", scope: refOf(json, "azurerm_container_registry", "id") })]);
  });

  it.each([
    ["dev", 90, dev],
    ["prod", 60, prod],
  ])("%s: password rotates every %i days", (_env, days, json) => {
    const rotation = onlyResourceOf(json, "time_rotating");
    expect(rotation.rotation_days).toBe(days);
    const password = onlyResourceOf(json, "azuread_application_password");
    expect(password.rotate_when_changed).toEqual({ rotation: refOf(json, "time_rotating", "id") });
    expect(password.application_id).toBe(refOf(json, "azuread_application", "id"));
    expect(password.end_date).toContain(`timeadd(${refOf(json, "time_rotating", "rotation_rfc3339").slice(2, -1)}`);
  });

  it("its service principal belongs to its application", () => {
    expect(onlyResourceOf(prod, "azuread_service_principal").client_id).toBe(refOf(prod, "azuread_application", "client_id"));
  });
});

describe("storage", () => {
  it.each([
    ["dev", dev],
    ["staging", staging],
    ["prod", prod],
  ])("%s: secure account defaults", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_storage_account")).toMatchObject({
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      cross_tenant_replication_enabled: false,
      infrastructure_encryption_enabled: true,
      // Deliberate exception: the Azure Files volume and the tracking server use the account key.
      shared_access_key_enabled: true,
    });
    expect(onlyResourceOf(json, "azurerm_storage_account").network_rules).toMatchObject({
      default_action: "Deny",
      bypass: ["AzureServices", "Logging", "Metrics"],
    });
  });

  it.each([
    ["dev", 7, dev],
    ["prod", 30, prod],
  ])("%s: versioning, blob and container soft delete, share retention of %i days", (_env, days, json) => {
    const account = onlyResourceOf(json, "azurerm_storage_account");
    expect(account.blob_properties).toMatchObject({
      versioning_enabled: true,
      delete_retention_policy: { days },
      container_delete_retention_policy: { days },
    });
    expect(account.share_properties).toEqual({ retention_policy: { days } });
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: a SAS expiration policy, and no classic queue logging (it needs the data plane)", (_env, json) => {
    const account = onlyResourceOf(json, "azurerm_storage_account");
    expect(account.queue_properties).toBeUndefined();
    expect(account.sas_policy).toEqual({ expiration_period: "1.00:00:00", expiration_action: "Log" });
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: blob, file and queue access logs, Key Vault audit and cluster audit logs go to Log Analytics", (_env, json) => {
    const settings = resourcesOf(json, "azurerm_monitor_diagnostic_setting");
    const targets = settings.map((d) => d.target_resource_id as string);
    expect(targets.sort()).toEqual(
      [
        `${refOf(json, "azurerm_storage_account", "id")}/blobServices/default`,
        `${refOf(json, "azurerm_storage_account", "id")}/fileServices/default`,
        `${refOf(json, "azurerm_storage_account", "id")}/queueServices/default`,
        refOf(json, "azurerm_key_vault", "id"),
        refOf(json, "azurerm_kubernetes_cluster", "id"),
      ].sort(),
    );
    const cluster = settings.find((d) => d.target_resource_id === refOf(json, "azurerm_kubernetes_cluster", "id"))!;
    expect(cluster.enabled_log).toEqual(expect.arrayContaining([{ category: "kube-audit-admin" }]));
    const blob = settings.find((d) => d.target_resource_id === `${refOf(json, "azurerm_storage_account", "id")}/blobServices/default`)!;
    expect(blob.enabled_log).toEqual([{ category: "StorageRead" }, { category: "StorageWrite" }, { category: "StorageDelete" }]);
    // Storage insights would hand Log Analytics the account key and ingests diagnostics-extension logs, not access logs.
    expect(resourcesOf(json, "azurerm_log_analytics_storage_insights")).toEqual([]);
  });

  it.each([
    ["dev", dev],
    ["staging", staging],
    ["prod", prod],
  ])("%s: storage replicates across zones and regions", (_env, json) => {
    expect(onlyResourceOf(json, "azurerm_storage_account").account_replication_type).toBe("GZRS");
  });

  it.each([
    ["dev", 100, dev],
    ["prod", 500, prod],
  ])("%s: an SMB share for project files with a quota of %i GB, private artifact and backup containers", (_env, quota, json) => {
    expect(onlyResourceOf(json, "azurerm_storage_share")).toMatchObject({ name: "mlflow-projects", quota, enabled_protocol: "SMB" });
    expect(resourceNamed(json, "azurerm_storage_container", "mlflow-artifacts").container_access_type).toBe("private");
    expect(resourceNamed(json, "azurerm_storage_container", "mlflow-backups").container_access_type).toBe("private");
  });

  const dataResources = (json: TerraformJson) => [
    ...resourcesOf(json, "azurerm_storage_account"),
    ...resourcesOf(json, "azurerm_storage_share"),
    ...resourcesOf(json, "azurerm_storage_container"),
  ];
  it.each([
    ["staging", staging],
    ["prod", prod],
  ])("%s: user data is protected from destroy", (_env, json) => {
    expect(dataResources(json)).toHaveLength(4);
    for (const resource of dataResources(json)) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("dev: data protection is off, so the environment can be torn down", () => {
    for (const resource of dataResources(dev)) expect(resource.lifecycle).toBeUndefined();
  });
});

describe("outputs for the MLflow stack", () => {
  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: secrets and cluster credentials are sensitive outputs", (_env, json) => {
    const outputs = json.output!;
    for (const name of ["push_principal_password", "storage_account_key", "cluster_host", "cluster_ca_certificate"]) {
      expect(outputs[name]).toMatchObject({ sensitive: true });
    }
    for (const name of [
      "registry_login_server",
      "push_principal_client_id",
      "storage_account_name",
      "file_share_name",
      "artifact_container_name",
      "cluster_name",
      "resource_group_name",
    ]) {
      expect(outputs[name]).toBeDefined();
      expect(outputs[name]!.sensitive).toBeUndefined();
    }
  });
});
