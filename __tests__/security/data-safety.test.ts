// Data is never lost by accident. Platform: the storage account, its share and its blob container refuse
// `destroy` where the environment's data protection is on (staging, prod), and every environment keeps deleted blobs,
// containers and shares and versions its blobs. Chart: the MySQL disk survives `helm uninstall` (kept claim), the
// deletion of its claim or namespace (Retain class), and a re-install (stable claim name, or re-binding the retained
// volume); the project share's volume is retained too; a scheduled backup exists by default.
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../config";
import { helmTemplate } from "../chart/helm";
import { onlyResourceOf, resourceNamed, synthAll } from "../support/stacks";

const environments = loadConfig({}).environments;
const app = synthAll();

describe("the committed environments", () => {
  it("turn data protection on in staging and prod", () => {
    const on = environments.filter((e) => e.config.dataProtection).map((e) => e.config.name);
    expect(on).toEqual(["staging", "prod"]);
  });
});

describe.each(environments.map((e) => [e.config.name, e] as const))("platform stack infra-%s", (name, env) => {
  const json = app.json(`infra-${name}`);
  const account = onlyResourceOf(json, "azurerm_storage_account");
  const share = onlyResourceOf(json, "azurerm_storage_share");
  const container = resourceNamed(json, "azurerm_storage_container", env.config.storage.artifactContainerName);
  const backups = resourceNamed(json, "azurerm_storage_container", env.config.storage.backupContainerName);
  const days = env.config.storage.softDeleteDays;

  it(`${env.config.dataProtection ? "protects" : "leaves"} the account, share, artifact and backup containers ${env.config.dataProtection ? "from" : "open to"} destroy`, () => {
    for (const resource of [account, share, container, backups]) {
      expect(resource.lifecycle?.prevent_destroy === true).toBe(env.config.dataProtection);
    }
  });

  it("versions blobs and keeps deleted blobs and containers", () => {
    expect(account.blob_properties.versioning_enabled).toBe(true);
    expect(account.blob_properties.delete_retention_policy).toEqual({ days });
    expect(account.blob_properties.container_delete_retention_policy).toEqual({ days });
    expect(days).toBeGreaterThanOrEqual(env.config.production ? 14 : 1);
  });

  it("deletes old blob versions only once soft delete would have let them go", () => {
    const policy = onlyResourceOf(json, "azurerm_storage_management_policy");
    expect(policy.rule).toEqual([expect.objectContaining({ enabled: true, actions: { version: { delete_after_days_since_creation: days } } })]);
  });

  it("keeps deleted shares", () => {
    expect(account.share_properties.retention_policy).toEqual({ days });
  });

  it("allows no anonymous blob access", () => {
    expect(account.allow_nested_items_to_be_public).toBe(false);
    expect(container.container_access_type).toBe("private");
    expect(backups.container_access_type).toBe("private");
  });
});

type Manifest = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; [key: string]: any };
function render(args: string[] = []): Manifest[] {
  const r = helmTemplate(args);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);
}
const find = (ms: Manifest[], kind: string, name?: string) => ms.filter((m) => m.kind === kind && (!name || m.metadata.name === name));
const mysqlClaimOf = (ms: Manifest[]) =>
  find(ms, "Deployment", "mlflow-mysql")[0]!.spec.template.spec.volumes.find((v: any) => v.name === "data").persistentVolumeClaim.claimName;

describe("the chart", () => {
  it("keeps the MySQL claim on helm uninstall and retains its disk when the claim goes", () => {
    const ms = render();
    const [claim] = find(ms, "PersistentVolumeClaim", "mlflow-mysql-data");
    expect(claim!.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    const [storageClass] = find(ms, "StorageClass");
    expect(claim!.spec.storageClassName).toBe(storageClass!.metadata.name);
    expect(storageClass!.reclaimPolicy).toBe("Retain");
    expect(storageClass!.provisioner).toBe("disk.csi.azure.com");
    expect(storageClass!.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    expect(mysqlClaimOf(ms)).toBe("mlflow-mysql-data");
  });

  it("keeps the project share's claim and retains its volume", () => {
    const ms = render();
    const [claim] = find(ms, "PersistentVolumeClaim", "mlflow-projects");
    expect(claim!.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    const [volume] = find(ms, "PersistentVolume");
    expect(volume!.spec.persistentVolumeReclaimPolicy).toBe("Retain");
    expect(claim!.spec.volumeName).toBe(volume!.metadata.name);
  });

  it("names the claim after the release only, so a re-install with the same release adopts the kept claim", () => {
    const again = render(["--set", "nameOverride=other", "--set", "fullnameOverride=renamed"]);
    expect(find(again, "PersistentVolumeClaim", "mlflow-mysql-data")).toHaveLength(1);
    expect(mysqlClaimOf(again)).toBe("mlflow-mysql-data");
  });

  it("re-attaches a kept claim without creating a claim or a class", () => {
    const ms = render(["--set", "mysql.persistence.existingClaim=mlflow-mysql-data-2024"]);
    expect(find(ms, "PersistentVolumeClaim").map((c) => c.metadata.name)).toEqual(["mlflow-projects"]);
    expect(find(ms, "StorageClass")).toHaveLength(0);
    expect(mysqlClaimOf(ms)).toBe("mlflow-mysql-data-2024");
  });

  it("re-binds a retained disk after its claim was deleted (namespace or stack re-created)", () => {
    const ms = render(["--set", "mysql.persistence.volumeName=pvc-0f5d6a4e-1c2b-4e8f-9a7d-3b2c1d0e9f8a"]);
    const [claim] = find(ms, "PersistentVolumeClaim", "mlflow-mysql-data");
    expect(claim!.spec.volumeName).toBe("pvc-0f5d6a4e-1c2b-4e8f-9a7d-3b2c1d0e9f8a");
    expect(claim!.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
  });

  it("backs the database up every day by default, one run at a time, with retention", () => {
    const [cron] = find(render(), "CronJob", "mlflow-backup");
    expect(cron!.spec.schedule).toBe("17 2 * * *");
    expect(cron!.spec.concurrencyPolicy).toBe("Forbid");
    const upload = cron!.spec.jobTemplate.spec.template.spec.containers[0];
    expect(upload.env).toEqual(
      expect.arrayContaining([
        { name: "BACKUP_RETENTION_DAYS", value: "14" },
        { name: "BACKUP_CONTAINER", value: "mlflow-backups" },
      ]),
    );
  });
});
