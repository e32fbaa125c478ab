// Bad values never render: real `helm template` rejects each case, and its message names the value at fault.
// Schema errors name the JSON path (e.g. '/storage/accountName'); the chart's own rules name the dotted key.
import { ensureDependencies, helmTemplate } from "./helm";

interface BadCase {
  what: string;
  set: string[];
  message: string;
}

/** The sample Disk Encryption Set id the contract test also uses. */
const DES_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-dev/providers/Microsoft.Compute/diskEncryptionSets/des-mlflow-dev";

const cases: BadCase[] = [
  { what: "missing registry server", set: ["registry.server="], message: "at '/registry/server': '' does not match pattern" },
  { what: "registry server with a scheme", set: ["registry.server=https://crmlflowdev.azurecr.io"], message: "at '/registry/server'" },
  { what: "storage account name with capitals and underscore", set: ["storage.accountName=St_Mlflow"], message: "at '/storage/accountName': 'St_Mlflow' does not match pattern '^[a-z0-9]{3,24}$'" },
  { what: "storage account name too long", set: ["storage.accountName=abcdefghijklmnopqrstuvwxy"], message: "at '/storage/accountName'" },
  { what: "storage account name too short", set: ["storage.accountName=ab"], message: "at '/storage/accountName'" },
  { what: "in-cluster and external database together", set: ["externalDatabase.host=db.example.com"], message: "mysql.enabled and externalDatabase.host are both set" },
  { what: "no database at all", set: ["mysql.enabled=false"], message: "externalDatabase.host is required when mysql.enabled is false" },
  { what: "unsupported artifact auth mode", set: ["storage.artifacts.auth=sasToken"], message: "at '/storage/artifacts/auth': value must be one of 'accountKey', 'workloadIdentity'" },
  { what: "workload identity without a client id", set: ["storage.artifacts.auth=workloadIdentity"], message: "trackingServer.workloadIdentity.clientId is required when storage.artifacts.auth is workloadIdentity" },
  { what: "negative MySQL disk size", set: ["mysql.persistence.size=-20Gi"], message: "at '/mysql/persistence/size': '-20Gi' does not match pattern" },
  { what: "zero file share size", set: ["storage.fileShare.size=0Gi"], message: "at '/storage/fileShare/size': '0Gi' does not match pattern" },
  { what: "negative replica count", set: ["trackingServer.replicas=-1"], message: "at '/trackingServer/replicas': minimum: got -1, want 1" },
  { what: "privileged port", set: ["trackingServer.port=80"], message: "at '/trackingServer/port': minimum: got 80, want 1,024" },
  { what: "no image tag nor digest", set: ["image.tag="], message: "image.tag or image.digest is required" },
  { what: "malformed image digest", set: ["image.digest=sha256:xyz"], message: "at '/image/digest': 'sha256:xyz' does not match pattern" },
  { what: "missing registry password", set: ["registry.password="], message: "registry.password is required unless registry.existingSecret" },
  { what: "missing storage account key", set: ["storage.accountKey="], message: "storage.accountKey is required unless storage.existingSecret" },
  { what: "missing MySQL password", set: ["mysql.auth.password="], message: "mysql.auth.password is required unless mysql.auth.existingSecret is set" },
  { what: "missing MySQL root password", set: ["mysql.auth.rootPassword="], message: "mysql.auth.rootPassword is required unless mysql.auth.existingSecret is set" },
  { what: "external database without password", set: ["mysql.enabled=false", "externalDatabase.host=db.example.com"], message: "externalDatabase.password is required unless externalDatabase.existingSecret is set" },
  { what: "registry username that is not a client id", set: ["registry.username=admin"], message: "at '/registry/username': 'admin' does not match pattern" },
  { what: "blob endpoint suffix MLflow cannot parse", set: ["storage.artifacts.blobEndpointSuffix=blob.example.com"], message: "at '/storage/artifacts/blobEndpointSuffix': value must be one of" },
  { what: "unknown top-level key", set: ["trackingserver.replicas=2"], message: "additional properties 'trackingserver' not allowed" },
  { what: "unknown key inside an object", set: ["storage.accountKeys=x"], message: "at '/storage': additional properties 'accountKeys' not allowed" },
  { what: "allowed host with a quote", set: ["trackingServer.allowedHosts[0]=evil'host"], message: "at '/trackingServer/allowedHosts/0'" },
  { what: "replicas given as text", set: ["trackingServer.replicas=two"], message: "at '/trackingServer/replicas': got string, want integer" },
  { what: "disk encryption set id of another resource type", set: [`mysql.persistence.diskEncryptionSetId=${DES_ID.replace("diskEncryptionSets", "disks")}`], message: "at '/mysql/persistence/diskEncryptionSetId': '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-dev/providers/Microsoft.Compute/disks/des-mlflow-dev' does not match pattern" },
  { what: "disk encryption set given by name, not resource id", set: ["mysql.persistence.diskEncryptionSetId=des-mlflow-dev"], message: "at '/mysql/persistence/diskEncryptionSetId': 'des-mlflow-dev' does not match pattern" },
  { what: "disk encryption set with a class the chart does not create", set: [`mysql.persistence.diskEncryptionSetId=${DES_ID}`, "mysql.persistence.storageClass=managed-csi-retain"], message: "mysql.persistence.diskEncryptionSetId cannot take effect while mysql.persistence.storageClass is set" },
  { what: "disk encryption set with an existing claim", set: [`mysql.persistence.diskEncryptionSetId=${DES_ID}`, "mysql.persistence.existingClaim=mlflow-mysql-data-2024"], message: "mysql.persistence.diskEncryptionSetId cannot take effect while mysql.persistence.existingClaim is set" },
  { what: "pods asked to run as root", set: ["trackingServer.podSecurityContext.runAsNonRoot=false"], message: "at '/trackingServer/podSecurityContext/runAsNonRoot': value must be true" },
];

beforeAll(() => ensureDependencies());

test("the table holds at least 12 distinct cases", () => {
  expect(cases.length).toBeGreaterThanOrEqual(12);
  expect(new Set(cases.map((c) => c.set.join(" "))).size).toBe(cases.length);
});

test("the fixture itself renders, so every failure below comes from its one bad value", () => {
  const r = helmTemplate([]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("the sample Disk Encryption Set id is accepted, so the cases above fail for the id's form or its combination", () => {
  const r = helmTemplate(["--set", `mysql.persistence.diskEncryptionSetId=${DES_ID}`]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`diskEncryptionSetID: ${DES_ID}`);
});

test.each(cases)("rejects $what", ({ set, message }) => {
  const r = helmTemplate(set.flatMap((s) => ["--set", s]));
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain(message);
});
