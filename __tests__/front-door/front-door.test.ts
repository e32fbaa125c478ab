import { loadConfig } from "../../config";
import { problemsWith } from "../support/config-problems";
import { synthAll, type TerraformJson } from "../support/stacks";

// The front door in config and in the synthesized stacks: validated before anything is built, off by default, and
// when on, an Entra ID application with a federated credential (no client secret), a vault-issued certificate and
// the chart's frontDoor values through the typed contract.

const group = "5b7c2f4e-0000-4000-8000-00000000000a";
// dev is public by default; the front door's private mode is the one most tests look at.
const privateNetwork = { access: "private" };
const enabled = {
  dev: {
    network: privateNetwork,
    frontDoor: { enabled: true, host: "mlflow.dev.example.internal", privateIpAddress: "10.20.3.250", allowedGroupObjectIds: [group] },
  },
};

const enabledPrivate = enabled.dev.frontDoor;

const resources = (json: TerraformJson, type: string) => Object.values(json.resource[type] ?? {});

describe("frontDoor config", () => {
  it.each([
    [
      "enabled without a host",
      { enabled: true, host: null, privateIpAddress: "10.20.3.250", allowedGroupObjectIds: [group] },
      "[dev] frontDoor.host: is required when frontDoor.enabled",
    ],
    [
      "enabled without groups",
      { enabled: true, host: "mlflow.example.com", privateIpAddress: "10.20.3.250", allowedGroupObjectIds: [] },
      "[dev] frontDoor.allowedGroupObjectIds: needs at least one group object id",
    ],
    [
      "a host that is a URL",
      { enabled: true, host: "https://mlflow.example.com", privateIpAddress: "10.20.3.250", allowedGroupObjectIds: [group] },
      "[dev] frontDoor.host: must be a lowercase DNS name",
    ],
    [
      "a single-label host",
      { enabled: false, host: "mlflow", privateIpAddress: null, allowedGroupObjectIds: [] },
      "[dev] frontDoor.host: must be a lowercase DNS name",
    ],
    [
      "private mode without the internal address",
      { enabled: true, host: "mlflow.example.com", privateIpAddress: null, allowedGroupObjectIds: [group] },
      '[dev] frontDoor.privateIpAddress: is required while network.access is "private"',
    ],
    [
      "an internal address outside the nodes subnet",
      { enabled: true, host: "mlflow.example.com", privateIpAddress: "10.99.0.10", allowedGroupObjectIds: [group] },
      "[dev] frontDoor.privateIpAddress: must be inside network.nodesSubnet (10.20.0.0/22)",
    ],
    [
      "an oauth2-proxy repository without its registry",
      { ...enabledPrivate, proxyImage: { repository: "oauth2-proxy/oauth2-proxy", digest: null } },
      "[dev] frontDoor.proxyImage.repository: must be an image repository with its registry host and no tag",
    ],
    [
      "an oauth2-proxy repository with a tag",
      { ...enabledPrivate, proxyImage: { repository: "quay.io/oauth2-proxy/oauth2-proxy:v7.15.6", digest: null } },
      "[dev] frontDoor.proxyImage.repository: must be an image repository with its registry host and no tag",
    ],
    [
      "an oauth2-proxy digest that is a tag",
      { ...enabledPrivate, proxyImage: { repository: null, digest: "v7.15.6" } },
      "[dev] frontDoor.proxyImage.digest: must be sha256: followed by 64 hex digits",
    ],
    [
      "a group name instead of its object id",
      { enabled: true, host: "mlflow.example.com", privateIpAddress: "10.20.3.250", allowedGroupObjectIds: ["data-scientists"] },
      "[dev] frontDoor.allowedGroupObjectIds.0: must be an Entra ID group object id (uuid)",
    ],
  ])("refuses %s, naming the field", (_what, frontDoor, expected) => {
    expect(problemsWith({ dev: { network: privateNetwork, frontDoor } }).join("\n")).toContain(expected);
  });

  it("refuses a public front door without authorized ranges", () => {
    expect(problemsWith({ dev: { ...enabled.dev, network: { access: "public" } } })).toContain(
      '[dev] frontDoor.enabled: needs network.authorizedIpRanges while network.access is "public": the public gateway admits only those ranges',
    );
  });

  it("refuses a front door without the Key Vault its certificate lives in", () => {
    expect(problemsWith({ dev: { ...enabled.dev, encryption: { customerManagedKey: false } } })).toContain(
      "[dev] frontDoor.enabled: needs encryption.customerManagedKey: true (the front door's certificate lives in that Key Vault)",
    );
  });

  it("refuses a production front door whose oauth2-proxy image is not pinned by digest, and takes a pinned one", () => {
    const prodFrontDoor = { enabled: true, host: "mlflow.example.com", privateIpAddress: "10.22.3.250", allowedGroupObjectIds: [group] };
    expect(problemsWith({ prod: { frontDoor: prodFrontDoor } })).toContain(
      "[prod] frontDoor.proxyImage.digest: production policy: must pin the oauth2-proxy image by digest",
    );
    const pinned = { ...prodFrontDoor, proxyImage: { repository: null, digest: `sha256:${"a".repeat(64)}` } };
    expect(problemsWith({ prod: { frontDoor: pinned } }).filter((p) => p.includes("frontDoor"))).toEqual([]);
  });

  it("is off in every committed environment", () => {
    expect(loadConfig({}).environments.map((e) => e.config.frontDoor.enabled)).toEqual([false, false, false]);
  });
});

describe("front door stacks", () => {
  const app = synthAll({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(enabled) });
  const infra = app.json("infra-dev");
  const mlflow = app.json("mlflow-dev");

  it("creates nothing for environments without it", () => {
    expect(resources(app.json("infra-staging"), "azuread_application").map((a) => a.display_name)).not.toContain("mlflow-staging");
    expect(resources(app.json("infra-staging"), "azurerm_key_vault_certificate")).toHaveLength(0);
  });

  it("registers an application with the sign-in redirect URI, group claims and v2 tokens, and no client secret", () => {
    const application = resources(infra, "azuread_application").find((a) => a.display_name === "mlflow-dev");
    expect(application).toMatchObject({
      sign_in_audience: "AzureADMyOrg",
      group_membership_claims: ["SecurityGroup"],
      web: { redirect_uris: ["https://mlflow.dev.example.internal/oauth2/callback"] },
      api: { requested_access_token_version: 2 },
    });
    // The only application password of the stack is the registry push principal's.
    expect(resources(infra, "azuread_application_password")).toHaveLength(1);
    expect(resources(infra, "azuread_application_identifier_uri")[0]!.identifier_uri).toMatch(/^api:\/\/\$\{azuread_application\..+\.client_id\}$/);
  });

  it("admits only the allowed groups at Entra ID itself", () => {
    expect(resources(infra, "azuread_service_principal").find((sp) => sp.app_role_assignment_required === true)).toBeDefined();
    expect(resources(infra, "azuread_app_role_assignment").map((a) => a.principal_object_id)).toEqual([group]);
  });

  it("federates the chart's service accounts with the cluster's OIDC issuer", () => {
    const [proxy] = resources(infra, "azuread_application_federated_identity_credential");
    expect(proxy).toMatchObject({ subject: "system:serviceaccount:mlflow:mlflow-oauth2-proxy", audiences: ["api://AzureADTokenExchange"] });
    const [gateway] = resources(infra, "azurerm_federated_identity_credential");
    expect(gateway).toMatchObject({ subject: "system:serviceaccount:mlflow:mlflow-gateway-tls", audience: ["api://AzureADTokenExchange"] });
  });

  it("has the vault issue the host's certificate, readable only by the Gateway's identity", () => {
    const [certificate] = resources(infra, "azurerm_key_vault_certificate");
    expect(certificate!.certificate_policy).toMatchObject({
      issuer_parameters: { name: "Self" },
      x509_certificate_properties: { subject: "CN=mlflow.dev.example.internal", subject_alternative_names: { dns_names: ["mlflow.dev.example.internal"] } },
    });
    const reader = resources(infra, "azurerm_role_assignment").find((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(reader!.scope).toMatch(/\/secrets\/mlflow-front-door$/);
  });

  it("publishes the host at the gateway's internal address in a private zone of the VNet, and pins that address", () => {
    const [zone] = resources(infra, "azurerm_private_dns_zone").filter((z) => z.name === "mlflow.dev.example.internal");
    expect(zone).toBeDefined();
    const record = resources(infra, "azurerm_private_dns_a_record").find((r) => r.records?.[0] === "10.20.3.250");
    expect(record).toMatchObject({ name: "@" });
    const [release] = resources(mlflow, "helm_release");
    expect(JSON.parse(release!.values[0]).frontDoor.gateway.annotations).toEqual({ "service.beta.kubernetes.io/azure-load-balancer-ipv4": "10.20.3.250" });
  });

  it("makes the gateway public, limited to the authorized ranges, in public access mode", () => {
    const publicDev = { dev: { ...enabled.dev, network: { access: "public", authorizedIpRanges: ["203.0.113.0/24"] } } };
    const [release] = resources(synthAll({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(publicDev) }).json("mlflow-dev"), "helm_release");
    expect(JSON.parse(release!.values[0]).frontDoor.gateway).toMatchObject({ access: "public", allowedSourceRanges: ["203.0.113.0/24"] });
  });

  it("hands the chart its frontDoor values, and the cookie secret only through set_sensitive", () => {
    const [release] = resources(mlflow, "helm_release");
    const values = JSON.parse(release!.values[0]);
    expect(values.frontDoor).toMatchObject({
      enabled: true,
      host: "mlflow.dev.example.internal",
      gateway: { access: "private", allowedSourceRanges: [] },
      entra: { allowedGroupObjectIds: [group] },
    });
    expect(values.frontDoor.oauth2Proxy.workloadIdentityClientId).toBe(values.frontDoor.entra.clientId);
    expect(release!.set_sensitive.map((s: { name: string }) => s.name)).toContain("frontDoor.oauth2Proxy.cookieSecret");
    expect(JSON.stringify(values)).not.toMatch(/cookieSecret/);
  });
});
