import { SYSTEM_NAMESPACE_PREFIXES, SYSTEM_NAMESPACES } from "./azure/kubernetes";
import type { Report } from "./errors";
import { cpuMillis, memoryMi } from "./network";
import { userPoolVcpus } from "./platform-rules";
import type { EnvironmentConfig, ResourcesConfig } from "./schema";

/**
 * DNS labels that YAML 1.1 reads as a boolean, null or number: the chart writes the release's name and namespace
 * unquoted (metadata.namespace, label values), where such a name would stop being a string.
 */
const YAML_NON_STRING = /^(y|yes|n|no|true|false|on|off|null|\d+|\d+e\d+|0x[0-9a-f]+|0o[0-7]+|0b[01]+)$/;

/** What the MLflow release needs to install and schedule: its own namespace, real resource quantities, a pinned image. */
export function checkRelease(env: EnvironmentConfig, report: Report): void {
  const { namespace, image } = env.mlflow;
  if ((SYSTEM_NAMESPACES as readonly string[]).includes(namespace) || SYSTEM_NAMESPACE_PREFIXES.some((p) => namespace.startsWith(p))) {
    report(
      "mlflow.namespace",
      `"${namespace}" is a system namespace (Kubernetes or an AKS add-on owns it; kube-* and ${SYSTEM_NAMESPACES.slice(0, 4).join(", ")}, ...): choose a namespace of MLflow's own`,
    );
  }
  for (const [field, value] of [
    ["mlflow.namespace", namespace],
    ["mlflow.releaseName", env.mlflow.releaseName],
  ] as const) {
    if (YAML_NON_STRING.test(value)) {
      report(
        field,
        `"${value}" is read as a ${/^[a-z~]/.test(value) ? "boolean or null" : "number"} by YAML 1.1 (kubectl, helm) where the chart writes it unquoted: choose a name with a letter that is not one of these words`,
      );
    }
  }
  const firstSegment = image.repository.split("/")[0] ?? "";
  if (image.repository.includes("/") && (firstSegment.includes(".") || firstSegment === "localhost")) {
    report(
      "mlflow.image.repository",
      `"${image.repository}" names a registry (${firstSegment}): the image is pulled from the environment's own registry, so give only the path inside it, e.g. mlflow-tracking-server`,
    );
  }
  if (image.tag === "latest" && image.digest === null) {
    report("mlflow.image.tag", '"latest" moves: pin a release tag (docker/tracking-server/VERSION) or set a digest');
  }
  const vcpus = userPoolVcpus(env);
  checkResources("mlflow.trackingServer.resources", env.mlflow.trackingServer.resources, vcpus, report);
  checkResources("mlflow.mysql.resources", env.mlflow.mysql.resources, vcpus, report);
}

function checkResources(field: string, r: ResourcesConfig, nodeVcpus: number | null, report: Report): void {
  for (const key of ["cpuRequest", "cpuLimit"] as const) {
    const millis = cpuMillis(r[key]);
    if (millis <= 0)
      report(
        `${field}.${key}`,
        `must be more than zero (got ${r[key]}): a zero ${key === "cpuLimit" ? "limit stops the container" : "request schedules it anywhere"}`,
      );
    else if (!Number.isInteger(millis)) report(`${field}.${key}`, `Kubernetes counts CPU in whole millicores (got ${r[key]})`);
  }
  for (const key of ["memoryRequest", "memoryLimit"] as const) {
    if (memoryMi(r[key]) <= 0) report(`${field}.${key}`, `must be more than zero (got ${r[key]})`);
  }
  if (cpuMillis(r.cpuRequest) > cpuMillis(r.cpuLimit)) {
    report(`${field}.cpuRequest`, `must be <= cpuLimit (${r.cpuRequest} > ${r.cpuLimit})`);
  }
  if (memoryMi(r.memoryRequest) > memoryMi(r.memoryLimit)) {
    report(`${field}.memoryRequest`, `must be <= memoryLimit (${r.memoryRequest} > ${r.memoryLimit})`);
  }
  if (nodeVcpus !== null && cpuMillis(r.cpuRequest) >= nodeVcpus * 1000) {
    report(
      `${field}.cpuRequest`,
      `${r.cpuRequest} does not fit on a user pool node of ${nodeVcpus} vCPUs (part of each node is reserved for the system): the pod would never be scheduled`,
    );
  }
}
