// The chart against a real API server (__tests__/cluster/test.sh starts it): for each environment's synthesized MLflow
// stack, the namespace and the helm release exactly as the stack describes them (Terraform references resolved to
// samples by scripts/render-environment.ts, as the contract test does), through install, upgrade, a refused upgrade,
// rollback, uninstall and a second install. No kubelet: pods are admitted and stored but never run.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { chartWorkspace } from "../support/chart-workspace";
import { chartInputs, type ChartInputs } from "../../scripts/render-environment";
import { differences, eventually, getObject, helm, helmWithValues, kubectl, list, ok, parseManifests, type Json } from "./kube";

const outDir = path.resolve(__dirname, "..", "..", "cdktf.out");
const stacksDir = path.join(outDir, "stacks");
if (!fs.existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist: run npm run synth first`);
const environments = fs
  .readdirSync(stacksDir)
  .filter((name) => name.startsWith("mlflow-"))
  .map((name) => name.slice("mlflow-".length))
  // CLUSTER_ENVIRONMENTS="dev staging" narrows a run by hand; unset, every synthesized environment is tested.
  .filter((env) => !process.env.CLUSTER_ENVIRONMENTS || process.env.CLUSTER_ENVIRONMENTS.split(/[\s,]+/).includes(env))
  .sort();
if (environments.length === 0) throw new Error(`no mlflow-<env> stack in ${stacksDir}`);

const workspace = chartWorkspace();
const isTestHook = (hook: unknown): boolean => typeof hook === "string" && hook.split(",").some((h) => /^\s*test(-success)?\s*$/.test(h));
// helm test objects are tested when the chart's templates declare any.
const chartHasHelmTests = (fs.readdirSync(path.join(workspace.chart, "templates"), { recursive: true }) as string[])
  .filter((f) => /\.(yaml|tpl)$/.test(f))
  .some((f) => /helm\.sh\/hook"?:\s*"?test/.test(fs.readFileSync(path.join(workspace.chart, "templates", f), "utf8")));
after(() => workspace.cleanup());

/** The kubernetes_namespace_v1 of a synthesized MLflow stack, as a Namespace manifest. */
function stackNamespace(env: string): Json {
  const stack = JSON.parse(fs.readFileSync(path.join(stacksDir, `mlflow-${env}`, "cdk.tf.json"), "utf8")) as Json;
  const namespaces = Object.values(stack.resource?.kubernetes_namespace_v1 ?? {}) as Json[];
  assert.equal(namespaces.length, 1, `mlflow-${env} should hold exactly one kubernetes_namespace_v1`);
  const { name, labels, annotations } = namespaces[0]!.metadata as Json;
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels, annotations } };
}

/** A digest of each Secret's data: compared without ever printing a secret. */
function secretDigests(namespace: string, names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      createHash("sha256")
        .update(JSON.stringify(getObject("secret", name, namespace)?.data ?? null))
        .digest("hex")
        .slice(0, 16),
    ]),
  );
}

const labelSelector = (labels: Json): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** Waits until the Deployment's controllers made at least `replicas` pods (each one admitted by the API server). */
async function podsOf(deployment: Json, namespace: string, replicas: number): Promise<Json[]> {
  const selector = labelSelector(deployment.spec.selector.matchLabels);
  const image = deployment.spec.template.spec.containers[0].image;
  return eventually(
    () => {
      const pods = list("pods", namespace, selector).filter((p) => !p.metadata.deletionTimestamp && p.spec.containers[0].image === image);
      return pods.length >= replicas ? pods : undefined;
    },
    60_000,
    () => {
      const sets = list("replicasets", namespace, selector).map((rs) => ({ name: rs.metadata.name, status: rs.status }));
      const events = list("events", namespace)
        .filter((e) => e.type === "Warning")
        .map((e) => `${e.involvedObject.name}: ${e.message}`);
      return `${replicas} pods of Deployment ${deployment.metadata.name}; replica sets ${JSON.stringify(sets)}; warnings ${JSON.stringify(events)}`;
    },
  );
}

/** A pod that baseline Pod Security forbids (privileged container, host network). */
const violatingPod = (namespace: string): Json => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "violates-baseline", namespace },
  spec: { hostNetwork: true, containers: [{ name: "c", image: "busybox", securityContext: { privileged: true } }] },
});

for (const env of environments) {
  describe(`mlflow-${env}`, () => {
    let inputs: ChartInputs;
    let namespace: Json;
    let ns: string;
    let release: string;
    let rendered: Json[];
    const releaseArgs = (command: string, ...extra: string[]): string[] => [command, release, workspace.chart, "--namespace", ns, ...extra];
    const kinds = (kind: string): Json[] => rendered.filter((m) => m.kind === kind);
    let installedSecrets: Record<string, string>;

    before(() => {
      inputs = chartInputs(outDir, env);
      namespace = stackNamespace(env);
      ns = namespace.metadata.name;
      release = inputs.release;
      assert.equal(inputs.namespace, ns, "the helm_release installs into the stack's namespace");
    });

    it("creates the namespace exactly as kubernetes_namespace_v1 describes it", () => {
      ok(kubectl(["create", "-f", "-"], JSON.stringify(namespace)), "kubectl create namespace");
      const live = getObject("namespace", ns)!;
      assert.deepEqual(differences(namespace.metadata, live.metadata), []);
      assert.ok(live.metadata.labels["pod-security.kubernetes.io/enforce"], "the namespace enforces a Pod Security level");
    });

    it("passes a server-side dry run of the install, which creates nothing", () => {
      const r = helmWithValues(releaseArgs("install", "--dry-run=server", "--output", "json"), inputs.values, inputs.secrets);
      rendered = parseManifests((JSON.parse(ok(r, "helm install --dry-run=server")) as Json).manifest);
      assert.ok(rendered.length > 10, `the dry run rendered ${rendered.length} objects`);
      assert.deepEqual(
        list("all,pvc,secret,configmap", ns).filter((o) => o.metadata.labels?.["app.kubernetes.io/instance"] === release),
        [],
      );
    });

    it("installs with the stack's values and sensitive settings; the release creates no Namespace", () => {
      ok(helmWithValues(releaseArgs("install"), inputs.values, inputs.secrets), "helm install");
      rendered = parseManifests(ok(helm(["get", "manifest", release, "-n", ns]), "helm get manifest"));
      assert.deepEqual(kinds("Namespace"), [], "the namespace belongs to the Kubernetes provider, not to the release");
      // Service-account token Secrets are filled in by the cluster, anew on each install: not the chart's credentials.
      installedSecrets = secretDigests(
        ns,
        kinds("Secret")
          .filter((s) => s.type !== "kubernetes.io/service-account-token")
          .map((s) => s.metadata.name),
      );
    });

    it("creates every object of the release as rendered", () => {
      const problems = rendered.flatMap((m) => {
        const group = m.apiVersion.includes("/") ? `.${m.apiVersion.split("/")[0]}` : "";
        const live = getObject(`${m.kind}${group}`, m.metadata.name, m.metadata.namespace ?? ns);
        if (!live) return [`${m.kind}/${m.metadata.name}: missing`];
        if (m.kind === "Secret") {
          // Key by key, and only whether they agree: no value is ever printed.
          const differing = Object.keys(m.data ?? {}).filter((key) => live.data?.[key] !== m.data[key]);
          return [...differences(m.metadata, live.metadata, ".metadata"), ...differing.map((key) => `.data.${key} differs`)].map(
            (d) => `Secret/${m.metadata.name}${d}`,
          );
        }
        const { metadata, ...body } = m;
        return [...differences(metadata, live.metadata, ".metadata"), ...differences(body, live)].map((d) => `${m.kind}/${m.metadata.name}${d}`);
      });
      assert.deepEqual(problems, []);
    });

    it("refuses a pod that violates the namespace's Pod Security level", () => {
      const level = namespace.metadata.labels["pod-security.kubernetes.io/enforce"];
      const r = kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(violatingPod(ns)));
      assert.notEqual(r.status, 0, "the violating pod was admitted");
      assert.match(r.stderr, new RegExp(`violates PodSecurity "${level}:`));
    });

    it("admits the chart's pods: each Deployment's controllers create all its replicas", async () => {
      assert.ok(kinds("Deployment").length >= 2, "tracking server and MySQL Deployments");
      for (const d of kinds("Deployment")) await podsOf(d, ns, d.spec.replicas ?? 1);
    });

    it("admits the pods of a backup Job made from the chart's CronJob", async () => {
      for (const cron of kinds("CronJob")) {
        const job = `${cron.metadata.name}-live`.slice(0, 52);
        ok(kubectl(["create", "job", job, `--from=cronjob/${cron.metadata.name}`, "-n", ns]), "kubectl create job --from=cronjob");
        await eventually(
          () => (list("pods", ns, `job-name=${job}`).length > 0 ? true : undefined),
          60_000,
          () => `a pod of Job ${job}: ${JSON.stringify(getObject("job", job, ns)?.status)}`,
        );
      }
    });

    it("admits the pod of an MLflow Project Job made from the chart's job template", async () => {
      const configMap = kinds("ConfigMap").find((c) => Object.keys(c.data ?? {}).includes("backend_config.json"));
      assert.ok(configMap, "the project job template ConfigMap");
      const templateKey = JSON.parse(configMap.data["backend_config.json"])["kube-job-template-path"] as string;
      const job = parseManifests(configMap.data[path.basename(templateKey)])[0]!;
      // What MLflow fills in when it submits a run.
      job.metadata.name = "project-run-live";
      Object.assign(job.spec.template.spec.containers[0], { name: "project", image: `${inputs.values.registry.server}/project:1`, command: ["true"] });
      ok(kubectl(["create", "-f", "-"], JSON.stringify(job)), "the project Job");
      await eventually(
        () => (list("pods", ns, `job-name=${job.metadata.name}`).length > 0 ? true : undefined),
        60_000,
        () => `a pod of Job ${job.metadata.name}: ${JSON.stringify(getObject("job", job.metadata.name, ns)?.status)}`,
      );
    });

    it("meets the restricted level too, at which the namespace warns and audits: every pod so far", () => {
      const level = namespace.metadata.labels["pod-security.kubernetes.io/warn"];
      assert.ok(level, "the namespace warns at a Pod Security level");
      assert.ok(list("pods", ns).length >= kinds("Deployment").length + 2, "the Deployments' and Jobs' pods exist");
      // Raising the enforced level makes the API server judge every existing pod and warn about each that fails it.
      const r = kubectl(["label", "namespace", ns, `pod-security.kubernetes.io/enforce=${level}`, "--overwrite", "--dry-run=server"]);
      ok(r, "kubectl label --dry-run=server");
      assert.doesNotMatch(r.stderr, /violate/);
    });

    if (chartHasHelmTests)
      it("creates the helm test objects", () => {
        const hooks = parseManifests(ok(helm(["get", "hooks", release, "-n", ns]), "helm get hooks"));
        const tests = hooks.filter((h) => isTestHook(h.metadata.annotations?.["helm.sh/hook"]));
        assert.ok(tests.length > 0, "the release has helm test hooks");
        // The test pods are admitted, then never run: helm test gives up after its timeout.
        helm(["test", release, "-n", ns, "--timeout", "10s"], 60_000);
        for (const t of tests) assert.ok(getObject(t.kind, t.metadata.name, ns), `helm test object ${t.kind}/${t.metadata.name}`);
      });

    it("binds the project-files claim to its static volume", async () => {
      const claim = kinds("PersistentVolumeClaim").find((c) => c.spec.volumeName);
      assert.ok(claim, "the project-files claim");
      await eventually(
        () => (getObject("pvc", claim.metadata.name, ns)?.status?.phase === "Bound" ? true : undefined),
        60_000,
        () => `claim ${claim.metadata.name} bound: ${JSON.stringify(getObject("pvc", claim.metadata.name, ns)?.status)}`,
      );
    });

    it("binds the MySQL claim to a disk volume (the test stands in for the Azure Disk provisioner)", async () => {
      const claim = kinds("PersistentVolumeClaim").find((c) => !c.spec.volumeName)!;
      const klass = kinds("StorageClass")[0]!;
      const pv = {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `pv-${ns}-${claim.metadata.name}`, labels: { "mlflow-aks.test/provisioned-for": release } },
        spec: {
          capacity: { storage: claim.spec.resources.requests.storage },
          accessModes: claim.spec.accessModes,
          persistentVolumeReclaimPolicy: klass.reclaimPolicy,
          storageClassName: klass.metadata.name,
          claimRef: { namespace: ns, name: claim.metadata.name },
          csi: { driver: klass.provisioner, volumeHandle: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/disks/${ns}-mysql` },
        },
      };
      ok(kubectl(["create", "-f", "-"], JSON.stringify(pv)), "the MySQL disk volume");
      await eventually(
        () => (getObject("pvc", claim.metadata.name, ns)?.status?.phase === "Bound" ? true : undefined),
        60_000,
        () => `claim ${claim.metadata.name} bound: ${JSON.stringify(getObject("pvc", claim.metadata.name, ns)?.status)}`,
      );
    });

    it("upgrades with the changes users make; credentials the data depends on stay the same", async () => {
      const values = structuredClone(inputs.values);
      const secrets = structuredClone(inputs.secrets);
      values.image.digest = `sha256:${"ab".repeat(32)}`;
      values.trackingServer.replicas = (values.trackingServer.replicas ?? 1) + 1;
      values.trackingServer.resources = { requests: { cpu: "300m", memory: "768Mi" }, limits: { cpu: "2", memory: "3Gi" } };
      values.storage = { ...values.storage, fileShare: { ...values.storage.fileShare, size: "200Gi" } };
      secrets.registry.password = "rotated-registry-password";
      ok(helmWithValues(releaseArgs("upgrade"), values, secrets), "helm upgrade");

      const upgraded = parseManifests(ok(helm(["get", "manifest", release, "-n", ns]), "helm get manifest"));
      const tracking = upgraded.find((m) => m.kind === "Deployment" && m.spec.template.spec.containers[0].image.includes(values.image.digest))!;
      assert.ok(tracking, "the tracking server runs the image by digest");
      assert.equal(getObject("deployment", tracking.metadata.name, ns)!.spec.replicas, values.trackingServer.replicas);
      // The rollout starts (a pod of the new revision is admitted) and stalls there: no pod ever becomes ready.
      await podsOf(tracking, ns, 1);

      // The static project-files claim cannot be resized: its volume carries the new share size, the claim keeps its request.
      const projectClaim = kinds("PersistentVolumeClaim").find((c) => c.spec.volumeName)!;
      assert.equal(getObject("pv", projectClaim.spec.volumeName)!.spec.capacity.storage, "200Gi");
      assert.equal(getObject("pvc", projectClaim.metadata.name, ns)!.spec.resources.requests.storage, projectClaim.spec.resources.requests.storage);

      const now = secretDigests(ns, Object.keys(installedSecrets));
      const registrySecret = upgraded.find((m) => m.type === "kubernetes.io/dockerconfigjson")!.metadata.name;
      assert.notEqual(now[registrySecret], installedSecrets[registrySecret], "the registry secret carries the rotated password");
      const { [registrySecret]: _changed, ...stable } = now;
      const { [registrySecret]: _before, ...stableBefore } = installedSecrets;
      assert.deepEqual(stable, stableBefore, "database and storage credentials are unchanged");
    });

    it("refuses a different StorageClass for the existing MySQL disk with the chart's own message", () => {
      const values = structuredClone(inputs.values);
      values.mysql.persistence = { ...values.mysql.persistence, diskSku: "Premium_LRS" };
      const r = helmWithValues(releaseArgs("upgrade"), values, inputs.secrets);
      assert.notEqual(r.status, 0, "the upgrade was accepted");
      assert.match(r.stderr, /StorageClass \S+ exists with .* but mysql\.persistence\.diskSku \/ mysql\.persistence\.diskEncryptionSetId ask for/);
      assert.doesNotMatch(r.stderr, /forbidden/i, "refused by the chart, before the API server");
    });

    it("rolls back to the first revision", () => {
      ok(helm(["rollback", release, "1", "-n", ns]), "helm rollback");
      const tracking = kinds("Deployment").find((d) => d.metadata.name === `${inputs.values.fullnameOverride}-tracking-server`)!;
      assert.equal(getObject("deployment", tracking.metadata.name, ns)!.spec.replicas, tracking.spec.replicas);
      assert.deepEqual(secretDigests(ns, Object.keys(installedSecrets)), installedSecrets);
    });

    it("uninstalls, keeping the MySQL claim and disk volume and the project-files claim and volume", () => {
      ok(helm(["uninstall", release, "-n", ns]), "helm uninstall");
      for (const d of kinds("Deployment")) assert.equal(getObject("deployment", d.metadata.name, ns), undefined, `Deployment ${d.metadata.name} removed`);
      for (const claim of kinds("PersistentVolumeClaim")) {
        const live = getObject("pvc", claim.metadata.name, ns);
        assert.ok(live && !live.metadata.deletionTimestamp, `claim ${claim.metadata.name} kept`);
        assert.equal(live.status.phase, "Bound", `claim ${claim.metadata.name} still bound`);
        const volume = getObject("pv", live.spec.volumeName);
        assert.ok(volume && !volume.metadata.deletionTimestamp, `volume ${live.spec.volumeName} of claim ${claim.metadata.name} kept, not stuck in deletion`);
      }
    });

    it("installs again on the same API server: adopts what was kept, and an unchanged upgrade changes nothing", () => {
      ok(kubectl(["apply", "-f", "-"], JSON.stringify(namespace)), "the namespace again");
      ok(helmWithValues(releaseArgs("install"), inputs.values, inputs.secrets), "helm install after uninstall");
      ok(helmWithValues(releaseArgs("upgrade"), inputs.values, inputs.secrets), "helm upgrade with unchanged values");
      const first = ok(helm(["get", "manifest", release, "-n", ns, "--revision", "1"]), "manifest of revision 1");
      const second = ok(helm(["get", "manifest", release, "-n", ns, "--revision", "2"]), "manifest of revision 2");
      assert.equal(second, first);
      assert.deepEqual(secretDigests(ns, Object.keys(installedSecrets)), installedSecrets);
      for (const claim of kinds("PersistentVolumeClaim")) assert.equal(getObject("pvc", claim.metadata.name, ns)?.status?.phase, "Bound");
    });

    after(() => {
      // The next environment uses the same namespace and cluster-wide names: remove everything, kept objects too.
      if (!ns) return;
      helm(["uninstall", release, "-n", ns]);
      kubectl(["delete", "namespace", ns, "--ignore-not-found", "--timeout=90s"]);
      kubectl(["delete", "pv,storageclass", "-l", `app.kubernetes.io/instance=${release}`, "--ignore-not-found", "--timeout=60s"]);
      kubectl(["delete", "pv", "-l", `mlflow-aks.test/provisioned-for=${release}`, "--ignore-not-found", "--timeout=60s"]);
    });
  });
}
