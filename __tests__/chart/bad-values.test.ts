// Bad values never render: real `helm template` rejects each case, and its message names the value at fault.
// Schema errors name the JSON path (e.g. '/storage/accountName') and the requirement (values.schema.json states the
// rule in the value's description); the chart's own rules (templates/_validate.tpl) name the dotted key and the rule.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CHART_DIR, helmTemplate } from "./helm";

interface BadCase {
  what: string;
  /** `--set` overrides. */
  set?: string[];
  /** `--set-json` overrides, for keys with dots and for objects. */
  json?: string[];
  /** Scenario files of ci/ layered on the required values first, e.g. "front-door". */
  scenario?: string;
  message: string;
}

const args = (c: BadCase) => [
  ...(c.scenario ? ["-f", join(CHART_DIR, "ci", `${c.scenario}-values.yaml`)] : []),
  ...(c.set ?? []).flatMap((s) => ["--set", s]),
  ...(c.json ?? []).flatMap((j) => ["--set-json", j]),
];
const long = (n: number) => "a".repeat(n);

/** The sample Disk Encryption Set id the contract test also uses. */
const DES_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-dev/providers/Microsoft.Compute/diskEncryptionSets/des-mlflow-dev";

const cases: BadCase[] = [
  { what: "missing registry server", set: ["registry.server="], message: "at '/registry/server': '' does not match pattern" },
  { what: "registry server with a scheme", set: ["registry.server=https://crmlflowdev.azurecr.io"], message: "at '/registry/server'" },
  {
    what: "storage account name with capitals and underscore",
    set: ["storage.accountName=St_Mlflow"],
    message: "at '/storage/accountName': 'St_Mlflow' does not match pattern '^[a-z0-9]{3,24}$'",
  },
  { what: "storage account name too long", set: ["storage.accountName=abcdefghijklmnopqrstuvwxy"], message: "at '/storage/accountName'" },
  { what: "storage account name too short", set: ["storage.accountName=ab"], message: "at '/storage/accountName'" },
  {
    what: "in-cluster and external database together",
    set: ["externalDatabase.host=db.example.com"],
    message: "at '/externalDatabase/host': value must be ''",
  },
  { what: "no database at all", set: ["mysql.enabled=false"], message: "at '/externalDatabase/host': minLength: got 0, want 1" },
  {
    what: "unsupported artifact auth mode",
    set: ["storage.artifacts.auth=sasToken"],
    message: "at '/storage/artifacts/auth': value must be one of 'accountKey', 'workloadIdentity'",
  },
  {
    what: "workload identity without a client id",
    set: ["storage.artifacts.auth=workloadIdentity"],
    message: "at '/trackingServer/workloadIdentity/clientId': minLength: got 0, want 1",
  },
  { what: "negative MySQL disk size", set: ["mysql.persistence.size=-20Gi"], message: "at '/mysql/persistence/size': '-20Gi' does not match pattern" },
  { what: "zero file share size", set: ["storage.fileShare.size=0Gi"], message: "at '/storage/fileShare/size': '0Gi' does not match pattern" },
  { what: "negative replica count", set: ["trackingServer.replicas=-1"], message: "at '/trackingServer/replicas': minimum: got -1, want 1" },
  { what: "privileged port", set: ["trackingServer.port=80"], message: "at '/trackingServer/port': minimum: got 80, want 1,024" },
  { what: "no image tag nor digest", set: ["image.tag="], message: "at '/image/tag': minLength: got 0, want 1" },
  { what: "malformed image digest", set: ["image.digest=sha256:xyz"], message: "at '/image/digest': 'sha256:xyz' does not match pattern" },
  { what: "missing registry password", set: ["registry.password="], message: "at '/registry/password': minLength: got 0, want 1" },
  { what: "missing storage account key", set: ["storage.accountKey="], message: "at '/storage/accountKey': minLength: got 0, want 1" },
  { what: "missing MySQL password", set: ["mysql.auth.password="], message: "at '/mysql/auth/password': minLength: got 0, want 1" },
  {
    what: "missing MySQL root password",
    set: ["mysql.auth.rootPassword="],
    message: "at '/mysql/auth/rootPassword': minLength: got 0, want 1",
  },
  {
    what: "external database without password",
    set: ["mysql.enabled=false", "externalDatabase.host=db.example.com"],
    message: "at '/externalDatabase/password': minLength: got 0, want 1",
  },
  { what: "registry username that is not a client id", set: ["registry.username=admin"], message: "at '/registry/username': 'admin' does not match pattern" },
  {
    what: "blob endpoint suffix MLflow cannot parse",
    set: ["storage.artifacts.blobEndpointSuffix=blob.example.com"],
    message: "at '/storage/artifacts/blobEndpointSuffix': value must be one of",
  },
  { what: "unknown top-level key", set: ["trackingserver.replicas=2"], message: "additional properties 'trackingserver' not allowed" },
  { what: "unknown key inside an object", set: ["storage.accountKeys=x"], message: "at '/storage': additional properties 'accountKeys' not allowed" },
  { what: "allowed host with a quote", set: ["trackingServer.allowedHosts[0]=evil'host"], message: "at '/trackingServer/allowedHosts/0'" },
  { what: "replicas given as text", set: ["trackingServer.replicas=two"], message: "at '/trackingServer/replicas': got string, want integer" },
  {
    what: "disk encryption set id of another resource type",
    set: [`mysql.persistence.diskEncryptionSetId=${DES_ID.replace("diskEncryptionSets", "disks")}`],
    message:
      "at '/mysql/persistence/diskEncryptionSetId': '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-dev/providers/Microsoft.Compute/disks/des-mlflow-dev' does not match pattern",
  },
  {
    what: "disk encryption set given by name, not resource id",
    set: ["mysql.persistence.diskEncryptionSetId=des-mlflow-dev"],
    message: "at '/mysql/persistence/diskEncryptionSetId': 'des-mlflow-dev' does not match pattern",
  },
  {
    what: "disk encryption set with a class the chart does not create",
    set: [`mysql.persistence.diskEncryptionSetId=${DES_ID}`, "mysql.persistence.storageClass=managed-csi-retain"],
    message: "at '/mysql/persistence/storageClass': value must be ''",
  },
  {
    what: "disk encryption set with an existing claim",
    set: [`mysql.persistence.diskEncryptionSetId=${DES_ID}`, "mysql.persistence.existingClaim=mlflow-mysql-data-2024"],
    message: "at '/mysql/persistence/existingClaim': value must be ''",
  },
  {
    what: "pods asked to run as root",
    set: ["trackingServer.podSecurityContext.runAsNonRoot=false"],
    message: "at '/trackingServer/podSecurityContext/runAsNonRoot': value must be true",
  },

  // Network policy: an egress rule that opens everything, ports out of range.
  {
    what: "an empty egress rule (allows all egress)",
    json: ["networkPolicy.extraEgress=[{}]"],
    message: "at '/networkPolicy/extraEgress/0': minProperties: got 0, want 1",
  },
  {
    what: "an egress rule to 0.0.0.0/0 on every port",
    json: ['networkPolicy.extraEgress=[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0"}}]}]'],
    message: "networkPolicy.extraEgress[0] allows egress to every address on every port",
  },
  {
    what: "an egress rule with an empty destination list",
    json: ['networkPolicy.extraEgress=[{"to":[]}]'],
    message: "at '/networkPolicy/extraEgress/0/to': minItems: got 0, want 1",
  },
  {
    what: "an egress port above 65535",
    json: ['networkPolicy.extraEgress=[{"ports":[{"port":70000}]}]'],
    message: "at '/networkPolicy/extraEgress/0/ports/0/port'",
  },
  {
    what: "an egress port 0",
    json: ['networkPolicy.extraEgress=[{"ports":[{"port":0,"protocol":"TCP"}]}]'],
    message: "at '/networkPolicy/extraEgress/0/ports/0/port'",
  },
  {
    what: "an egress protocol Kubernetes does not know",
    json: ['networkPolicy.extraEgress=[{"ports":[{"port":8080,"protocol":"ICMP"}]}]'],
    message: "at '/networkPolicy/extraEgress/0/ports/0/protocol': value must be one of 'TCP', 'UDP', 'SCTP'",
  },
  {
    what: "an unknown key in an egress rule",
    json: ['networkPolicy.extraEgress=[{"too":[{"podSelector":{}}]}]'],
    message: "at '/networkPolicy/extraEgress/0': additional properties 'too' not allowed",
  },
  {
    what: "the same egress rule twice",
    json: ['networkPolicy.extraEgress=[{"ports":[{"port":8080}]},{"ports":[{"port":8080}]}]'],
    message: "at '/networkPolicy/extraEgress': items at 0 and 1 are equal",
  },
  {
    what: "an ingress peer admitting every address",
    json: ['networkPolicy.trackingServerIngressFrom=[{"ipBlock":{"cidr":"0.0.0.0/0"}}]'],
    message: "networkPolicy.trackingServerIngressFrom[0] admits every address (0.0.0.0/0)",
  },
  {
    what: "a misspelt ingress peer selector",
    json: ['networkPolicy.trackingServerIngressFrom=[{"namespaceselector":{}}]'],
    message: "at '/networkPolicy/trackingServerIngressFrom/0': additional properties 'namespaceselector' not allowed",
  },
  {
    what: "an egress destination with an unknown key",
    json: ['networkPolicy.extraEgress=[{"to":[{"cidr":"10.0.0.0/8"}]}]'],
    message: "at '/networkPolicy/extraEgress/0/to/0': additional properties 'cidr' not allowed",
  },
  {
    what: "the same ingress peer twice",
    json: ['networkPolicy.trackingServerIngressFrom=[{"podSelector":{}},{"podSelector":{}}]'],
    message: "at '/networkPolicy/trackingServerIngressFrom': items at 0 and 1 are equal",
  },
  { what: "a tracking server port above 65535", set: ["trackingServer.port=70000"], message: "at '/trackingServer/port': maximum: got 70,000, want 65,535" },
  { what: "an external database port 0", set: ["externalDatabase.port=0"], message: "at '/externalDatabase/port': minimum: got 0, want 1" },
  {
    what: "NetworkPolicies off for the release but on for MySQL",
    set: ["networkPolicy.enabled=false"],
    message: "at '/mysql/networkPolicy/enabled': value must be false",
  },
  {
    what: "NetworkPolicies on for the release but off for MySQL",
    set: ["mysql.networkPolicy.enabled=false"],
    message: "at '/mysql/networkPolicy/enabled': value must be true",
  },
  {
    what: "a MySQL policy admitting no component (a rule without peers admits every source)",
    json: ["mysql.networkPolicy.clientComponents=[]"],
    message: "at '/mysql/networkPolicy/clientComponents': minItems: got 0, want 1",
  },

  // Where data and credentials go.
  {
    what: "backups written to the artifact container",
    set: ["backup.container=mlflow-artifacts"],
    message: 'backup.container "mlflow-artifacts" is the artifact container: the tracking server serves that container to every MLflow user',
  },
  {
    what: "the project Jobs running as the namespace's default account",
    set: ["mlflowProject.serviceAccount.name=default"],
    message: 'mlflowProject.serviceAccount.name must not be "default"',
  },
  {
    what: "the project Jobs sharing the tracking server's account",
    set: ["mlflowProject.serviceAccount.name=mlflow-tracking-server"],
    message: 'mlflowProject.serviceAccount.name "mlflow-tracking-server" is the tracking server\'s service account',
  },
  {
    what: "a project service account name over 253 characters",
    set: [`mlflowProject.serviceAccount.name=${long(254)}`],
    message: "at '/mlflowProject/serviceAccount/name': maxLength: got 254, want 253",
  },
  {
    what: "an artifact path climbing out with ..",
    set: ["storage.artifacts.path=../other"],
    message: "at '/storage/artifacts/path': '../other' does not match pattern",
  },
  {
    what: "an artifact path with .. in the middle",
    set: ["storage.artifacts.path=runs/../../x"],
    message: "at '/storage/artifacts/path': 'runs/../../x' does not match pattern",
  },
  { what: "an artifact path with an empty segment", set: ["storage.artifacts.path=runs//x"], message: "at '/storage/artifacts/path'" },
  {
    what: "a Job template path climbing out with ..",
    set: ["mlflowProject.backendConfig.jobTemplatePath=../../job.yaml"],
    message: "at '/mlflowProject/backendConfig/jobTemplatePath': '../../job.yaml' does not match pattern",
  },
  {
    what: "a pull secret without the push principal's client id",
    set: ["registry.username="],
    message: "at '/registry/username': minLength: got 0, want 1",
  },
  {
    what: "an emulator endpoint with the account key in an existing Secret",
    set: ["storage.existingSecret=mlflow-storage", "storage.artifacts.blobEndpoint=http://127.0.0.1:10000/stmlflowdev"],
    message: "at '/storage/artifacts/blobEndpoint': value must be ''",
  },
  {
    what: "the project share mounted over the project code directory",
    set: ["mlflowProject.job.projectsMountPath=/mlflow/projects/code"],
    message: 'mlflowProject.job.projectsMountPath "/mlflow/projects/code" would hide the project code MLflow bakes into the image',
  },
  {
    what: "the pull secret and the storage secret being one Secret",
    set: ["registry.existingSecret=shared", "storage.existingSecret=shared"],
    message: "registry.existingSecret and storage.existingSecret name the same Secret",
  },
  {
    what: "an existing Secret name over 253 characters",
    set: [`storage.existingSecret=${long(254)}`],
    message: "at '/storage/existingSecret': maxLength: got 254, want 253",
  },

  // Database options: only a known-safe set of keys, nothing URL-encoded, each once.
  {
    what: "database options injecting init_command",
    set: ["externalDatabase.options=init_command=DROP DATABASE mlflow"],
    message: "at '/externalDatabase/options': 'init_command=DROP DATABASE mlflow' does not match pattern",
  },
  {
    what: "database options hiding init_command in URL encoding",
    set: ["externalDatabase.options=charset=utf8mb4%26init_command%3DDROP%20DATABASE%20mlflow"],
    message: "at '/externalDatabase/options'",
  },
  { what: "database options enabling LOAD DATA LOCAL", set: ["externalDatabase.options=local_infile=1"], message: "at '/externalDatabase/options'" },
  {
    what: "a database option given twice",
    set: ["externalDatabase.options=ssl_ca=/etc/ssl/a.pem&ssl_ca=/etc/ssl/b.pem"],
    message: "externalDatabase.options sets ssl_ca twice",
  },
  { what: "root as the in-cluster database user", set: ["mysql.auth.username=root"], message: "mysql.auth.username must not be root" },
  {
    what: "the mysql system schema as the MLflow database",
    set: ["mysql.auth.database=mysql"],
    message: 'mysql.auth.database "mysql" is a MySQL system schema',
  },
  {
    what: "information_schema as the external database",
    set: ["externalDatabase.database=information_schema"],
    message: 'externalDatabase.database "information_schema" is a MySQL system schema',
  },
  { what: "an empty database name", set: ["mysql.auth.database="], message: "at '/mysql/auth/database': '' does not match pattern" },
  {
    what: "an external database host over 253 characters",
    set: [`externalDatabase.host=${long(254)}`],
    message: "at '/externalDatabase/host': maxLength: got 254, want 253",
  },
  { what: "two MySQL replicas on one ReadWriteOnce disk", set: ["mysql.replicas=2"], message: "at '/mysql': additional properties 'replicas' not allowed" },
  {
    what: "an empty password key of an existing Secret",
    set: ["externalDatabase.existingSecretPasswordKey="],
    message: "at '/externalDatabase/existingSecretPasswordKey': '' does not match pattern",
  },
  { what: "an empty cluster domain", set: ["trackingServer.clusterDomain="], message: "at '/trackingServer/clusterDomain': '' does not match pattern" },
  {
    what: "an existing claim together with a volume to bind",
    set: ["mysql.persistence.existingClaim=kept-data", "mysql.persistence.volumeName=pvc-1234"],
    message: "at '/mysql/persistence/volumeName': value must be ''",
  },
  {
    what: "an existing claim name over 253 characters",
    set: [`mysql.persistence.existingClaim=${long(254)}`],
    message: "at '/mysql/persistence/existingClaim': maxLength: got 254, want 253",
  },

  // Backup schedule.
  { what: "a cron minute of 61", set: ["backup.schedule=61 2 * * *"], message: "at '/backup/schedule': '61 2 * * *' does not match pattern" },
  { what: "a cron hour of 24", set: ["backup.schedule=0 24 * * *"], message: "at '/backup/schedule': '0 24 * * *' does not match pattern" },
  { what: "a six-field cron schedule", set: ["backup.schedule=0 0 2 * * *"], message: "at '/backup/schedule'" },
  { what: "a Quartz-only cron field (L)", set: ["backup.schedule=0 2 L * *"], message: "at '/backup/schedule'" },
  { what: "a cron step of zero", set: ["backup.schedule=*/0 * * * *"], message: "at '/backup/schedule'" },
  { what: "a time zone that does not exist", set: ["backup.timeZone=Mars/Olympus"], message: 'backup.timeZone "Mars/Olympus" is not an IANA time zone name' },
  { what: "the Local time zone", set: ["backup.timeZone=Local"], message: 'backup.timeZone "Local" is not an IANA time zone name' },
  { what: "an empty backup prefix", set: ["backup.prefix="], message: "at '/backup/prefix': '' does not match pattern" },
  {
    what: "a backup allowed to run longer than a day",
    set: ["backup.activeDeadlineSeconds=90000"],
    message: "at '/backup/activeDeadlineSeconds': maximum: got 90,000, want 86,400",
  },

  // Labels and annotations: well-formed, and none the chart manages.
  {
    what: "a pod label overriding the chart's name label",
    json: ['trackingServer.podLabels={"app.kubernetes.io/name":"other"}'],
    message: 'trackingServer.podLabels "app.kubernetes.io/name" is a label the chart sets',
  },
  {
    what: "a pod label switching workload identity",
    json: ['trackingServer.podLabels={"azure.workload.identity/use":"true"}'],
    message: 'trackingServer.podLabels "azure.workload.identity/use" is a label the chart sets',
  },
  {
    what: "a pod annotation overriding the secrets checksum",
    json: ['trackingServer.podAnnotations={"checksum/secrets":"0"}'],
    message: 'trackingServer.podAnnotations "checksum/secrets" is an annotation the chart sets',
  },
  {
    what: "a pod label value over 63 characters",
    json: [`trackingServer.podLabels={"team":"${long(64)}"}`],
    message: "at '/trackingServer/podLabels/team': maxLength: got 64, want 63",
  },
  { what: "a pod label key with a space", json: ['trackingServer.podLabels={"my team":"a"}'], message: "at '/trackingServer/podLabels'" },
  {
    what: "a node selector value with a space",
    json: ['trackingServer.nodeSelector={"pool":"gpu nodes"}'],
    message: "at '/trackingServer/nodeSelector/pool': 'gpu nodes' does not match pattern",
  },
  {
    what: "a toleration with an unknown operator",
    json: ['trackingServer.tolerations=[{"key":"pool","operator":"Matches","value":"a"}]'],
    message: "at '/trackingServer/tolerations/0/operator': value must be one of 'Exists', 'Equal'",
  },
  {
    what: "the same toleration twice",
    json: ['mlflowProject.job.tolerations=[{"key":"gpu","operator":"Exists"},{"key":"gpu","operator":"Exists"}]'],
    message: "at '/mlflowProject/job/tolerations': items at 0 and 1 are equal",
  },

  // Mount paths: not over /tmp, the backup scratch, the image's environment or system directories.
  {
    what: "credentials mounted over /tmp",
    set: ["trackingServer.secretsMountPath=/tmp"],
    message: 'trackingServer.secretsMountPath "/tmp" collides with /tmp',
  },
  {
    what: "credentials mounted over a parent of /tmp",
    set: ["trackingServer.secretsMountPath=/"],
    message: "at '/trackingServer/secretsMountPath': '/' does not match pattern",
  },
  {
    what: "credentials mounted inside the image's Python libraries",
    set: ["trackingServer.secretsMountPath=/usr/local/lib/secrets"],
    message: 'trackingServer.secretsMountPath "/usr/local/lib/secrets" collides with /usr',
  },
  {
    what: "credentials mounted over the image's virtual environment",
    set: ["trackingServer.secretsMountPath=/opt/mlflow"],
    message: 'trackingServer.secretsMountPath "/opt/mlflow" collides with /opt/mlflow',
  },
  {
    what: "credentials mounted over a parent of the virtual environment",
    set: ["trackingServer.secretsMountPath=/opt"],
    message: 'trackingServer.secretsMountPath "/opt" collides with /opt/mlflow',
  },
  {
    what: "credentials mounted over the backup scratch",
    set: ["trackingServer.secretsMountPath=/backup"],
    message: 'trackingServer.secretsMountPath "/backup" collides with /backup',
  },
  {
    what: "credentials mounted at a path with ..",
    set: ["trackingServer.secretsMountPath=/var/run/../../tmp"],
    message: "at '/trackingServer/secretsMountPath': '/var/run/../../tmp' does not match pattern",
  },
  {
    what: "the project share mounted over /usr/local",
    set: ["mlflowProject.job.projectsMountPath=/usr/local"],
    message: 'mlflowProject.job.projectsMountPath "/usr/local" collides with /usr',
  },
  {
    what: "the project share mounted over /tmp",
    set: ["mlflowProject.job.projectsMountPath=/tmp"],
    message: 'mlflowProject.job.projectsMountPath "/tmp" collides with /tmp',
  },
  {
    what: "a share mount option overriding the owner",
    set: ["storage.fileShare.extraMountOptions[0]=uid=0"],
    message: 'storage.fileShare.extraMountOptions "uid=0" overrides a mount option the chart sets',
  },
  {
    what: "a share mount option given twice",
    set: ["storage.fileShare.extraMountOptions[0]=noperm", "storage.fileShare.extraMountOptions[1]=noperm"],
    message: "at '/storage/fileShare/extraMountOptions': items at 0 and 1 are equal",
  },

  // Resources.
  {
    what: "a memory request above its limit",
    set: ["trackingServer.resources.requests.memory=4Gi"],
    message: "trackingServer.resources.requests.memory (4Gi) is above trackingServer.resources.limits.memory (2Gi)",
  },
  {
    what: "a CPU request above its limit, in other units",
    set: ["backup.resources.requests.cpu=1500m"],
    message: "backup.resources.requests.cpu (1500m) is above backup.resources.limits.cpu (1)",
  },
  { what: "a zero CPU limit", set: ["trackingServer.resources.limits.cpu=0"], message: "at '/trackingServer/resources/limits/cpu'" },
  {
    what: "a zero memory request as text",
    set: ["mlflowProject.job.resources.requests.memory=0Mi"],
    message: "at '/mlflowProject/job/resources/requests/memory'",
  },
  { what: "a negative memory limit", set: ["trackingServer.resources.limits.memory=-1Gi"], message: "at '/trackingServer/resources/limits/memory'" },
  { what: "a misspelt resource name", set: ["trackingServer.resources.limits.cpus=1"], message: "at '/trackingServer/resources/limits'" },

  // Image and exposure.
  { what: "the latest tag as the image pin", set: ["image.tag=latest"], message: 'image.tag "latest" is not a pin' },
  {
    what: "a public load balancer in front of a server without sign-in",
    set: ["trackingServer.service.type=LoadBalancer"],
    message: "at '/trackingServer/service/annotations': missing property 'service.beta.kubernetes.io/azure-load-balancer-internal'",
  },
  {
    what: "a load balancer whose internal annotation says false",
    set: ["trackingServer.service.type=LoadBalancer"],
    json: ['trackingServer.service.annotations={"service.beta.kubernetes.io/azure-load-balancer-internal":"false"}'],
    message: "at '/trackingServer/service/annotations/service.beta.kubernetes.io~1azure-load-balancer-internal': value must be 'true'",
  },
  {
    what: "any origin allowed to make state-changing calls",
    set: ["trackingServer.corsAllowedOrigins[0]=*"],
    message: "at '/trackingServer/corsAllowedOrigins/0': '*' does not match pattern",
  },
  {
    what: "a ServiceMonitor for a server without metrics",
    set: ["trackingServer.metrics.enabled=false", "trackingServer.metrics.serviceMonitor.enabled=true"],
    message: "trackingServer.metrics.serviceMonitor.enabled needs trackingServer.metrics.enabled",
  },
  {
    what: "a ServiceMonitor of another API group",
    set: ["trackingServer.metrics.serviceMonitor.apiVersion=monitoring.coreos.com/v1alpha1"],
    message: "at '/trackingServer/metrics/serviceMonitor/apiVersion': value must be one of 'monitoring.coreos.com/v1', 'azmonitoring.coreos.com/v1'",
  },
  {
    what: "a metrics scraper namespace without a pod selector",
    json: ['trackingServer.metrics.scraper={"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}}}'],
    message: "trackingServer.metrics.scraper needs both namespaceSelector and podSelector",
  },
  {
    what: "a metrics scraper without NetworkPolicies",
    set: ["networkPolicy.enabled=false", "mysql.networkPolicy.enabled=false"],
    json: ['trackingServer.metrics.scraper={"namespaceSelector":{"matchLabels":{"a":"b"}},"podSelector":{"matchLabels":{"rsName":"ama-metrics"}}}'],
    message: "trackingServer.metrics.scraper cannot take effect while networkPolicy.enabled is false",
  },
  {
    what: "a metrics scraper for a server without metrics",
    set: ["trackingServer.metrics.enabled=false"],
    json: ['trackingServer.metrics.scraper={"namespaceSelector":{"matchLabels":{"a":"b"}},"podSelector":{"matchLabels":{"rsName":"ama-metrics"}}}'],
    message: "trackingServer.metrics.scraper needs trackingServer.metrics.enabled",
  },
  {
    what: "a ServiceMonitor label the chart sets",
    json: ['trackingServer.metrics.serviceMonitor.labels={"app.kubernetes.io/instance":"other"}'],
    message: 'trackingServer.metrics.serviceMonitor.labels "app.kubernetes.io/instance" is a label the chart sets',
  },
  {
    what: "the metric files inside the credentials mount",
    set: ["trackingServer.metrics.multiprocessDir=/var/run/secrets/mlflow/metrics"],
    message: 'trackingServer.metrics.multiprocessDir "/var/run/secrets/mlflow/metrics" overlaps trackingServer.secretsMountPath',
  },
  {
    what: "a file share name over 63 characters",
    set: [`storage.fileShare.name=${long(64)}`],
    message: "at '/storage/fileShare/name': maxLength: got 64, want 63",
  },

  // The front door: what it cannot work without (ci/front-door-values.yaml is a working one).
  { what: "a front door without a host", scenario: "front-door", set: ["frontDoor.host="], message: "at '/frontDoor/host': minLength: got 0, want 1" },
  {
    what: "a front door without its tenant",
    scenario: "front-door",
    set: ["frontDoor.entra.tenantId="],
    message: "at '/frontDoor/entra/tenantId': minLength: got 0, want 1",
  },
  {
    what: "a front door without its application's client id",
    scenario: "front-door",
    set: ["frontDoor.entra.clientId="],
    message: "at '/frontDoor/entra/clientId': minLength: got 0, want 1",
  },
  {
    what: "a front door letting every account of the tenant in",
    scenario: "front-door",
    json: ["frontDoor.entra.allowedGroupObjectIds=[]"],
    message: "at '/frontDoor/entra/allowedGroupObjectIds': minItems: got 0, want 1",
  },
  {
    what: "oauth2-proxy without the identity that replaces a client secret",
    scenario: "front-door",
    set: ["frontDoor.oauth2Proxy.workloadIdentityClientId="],
    message: "at '/frontDoor/oauth2Proxy/workloadIdentityClientId': minLength: got 0, want 1",
  },
  {
    what: "oauth2-proxy without a cookie secret",
    scenario: "front-door",
    set: ["frontDoor.oauth2Proxy.cookieSecret="],
    message: "at '/frontDoor/oauth2Proxy/cookieSecret': minLength: got 0, want 1",
  },
  {
    what: "a cookie secret that is no AES key length (the error shows lengths, never the secret)",
    scenario: "front-door",
    set: ["frontDoor.oauth2Proxy.cookieSecret=twenty-characters-xx"],
    message: "at '/frontDoor/oauth2Proxy/cookieSecret': minLength: got 20, want 24",
  },
  {
    what: "a gateway without a certificate",
    scenario: "front-door",
    set: ["frontDoor.gateway.tls.keyVaultCertificateUri="],
    message: "at '/frontDoor/gateway/tls/existingSecret': minLength: got 0, want 1",
  },
  {
    what: "a Key Vault certificate without the identity that reads it",
    scenario: "front-door",
    set: ["frontDoor.gateway.tls.identityClientId="],
    message: "at '/frontDoor/gateway/tls/identityClientId': minLength: got 0, want 1",
  },
  {
    what: "a public gateway without authorized ranges",
    scenario: "front-door",
    set: ["frontDoor.gateway.access=public"],
    json: ["frontDoor.gateway.allowedSourceRanges=[]"],
    message: "at '/frontDoor/gateway/allowedSourceRanges': minItems: got 0, want 1",
  },

  // Found by __tests__/chart/hostile-values.test.ts. A block set to null is removed by `helm -f`/`--set`: a template
  // that reads it broke with "nil pointer evaluating"; the schema now requires every block a template reads.
  { what: "the tracking server's Service block removed", json: ["trackingServer.service=null"], message: "at '/trackingServer': missing property 'service'" },
  { what: "the MySQL image block removed", json: ["mysql.image=null"], message: "at '/mysql': missing property 'image'" },
  { what: "the MySQL network policy block removed", json: ["mysql.networkPolicy=null"], message: "at '/mysql': missing property 'networkPolicy'" },
  { what: "the front door block removed", json: ["frontDoor=null"], message: "at '': missing property 'frontDoor'" },
  { what: "the metrics block removed", json: ["trackingServer.metrics=null"], message: "at '/trackingServer': missing property 'metrics'" },
  {
    what: "MySQL server options with a control character",
    json: ['mysql.config="[mysqld]\\u0007\\nmax_connections = 200"'],
    message: "at '/mysql/config'",
  },
  // The same for single values the templates read (b64enc, sha256sum or printf of a removed value broke them).
  ...(
    [
      ["image", "tag"],
      ["storage", "accountKey"],
      ["trackingServer", "allowedHosts"],
      ["trackingServer", "tmpSizeLimit"],
      ["mysql/auth", "password"],
      ["mysql/auth", "rootPassword"],
    ] as const
  ).map(([parent, key]) => ({
    what: `${parent.replace("/", ".")}.${key} removed`,
    json: [`${parent.replace("/", ".")}.${key}=null`],
    message: `at '/${parent}': missing property '${key}'`,
  })),
  // Defaults of the MySQL subchart's own values.yaml: its schema requires them, and names them from its root.
  ...(["config", "secretsMountPath"] as const).map((key) => ({
    what: `mysql.${key} removed`,
    json: [`mysql.${key}=null`],
    message: `mysql:\n- at '': missing property '${key}'`,
  })),
  ...(["password", "options"] as const).map((key) => ({
    what: `externalDatabase.${key} removed`,
    scenario: "external-database",
    json: [`externalDatabase.${key}=null`],
    message: `at '/externalDatabase': missing property '${key}'`,
  })),
  {
    what: "a gateway certificate secret name longer than the Gateway API takes",
    scenario: "front-door",
    set: [`frontDoor.gateway.tls.existingSecret=${long(254)}`],
    message: "at '/frontDoor/gateway/tls/existingSecret': maxLength: got 254, want 253",
  },
  // Pod security contexts and affinities were passed to the manifests unchecked: kubeconform, not the chart, refused them.
  {
    what: "a seccomp profile type that is not text",
    json: ["trackingServer.podSecurityContext.seccompProfile.type=true"],
    message: "at '/trackingServer/podSecurityContext/seccompProfile/type': value must be one of 'RuntimeDefault', 'Localhost'",
  },
  {
    what: "an Unconfined seccomp profile",
    set: ["backup.podSecurityContext.seccompProfile.type=Unconfined"],
    message: "at '/backup/podSecurityContext/seccompProfile/type': value must be one of 'RuntimeDefault', 'Localhost'",
  },
  {
    what: "an unknown field in a seccomp profile",
    set: ["backup.podSecurityContext.seccompProfile.prototype=x"],
    message: "at '/backup/podSecurityContext/seccompProfile': additional properties 'prototype' not allowed",
  },
  {
    what: "a MySQL group id that is a float",
    json: ["mysql.podSecurityContext.runAsGroup=1.5"],
    message: "at '/mysql/podSecurityContext/runAsGroup': got number, want integer",
  },
  {
    what: "a MySQL fsGroup given as text",
    json: ['mysql.podSecurityContext.fsGroup="1"'],
    message: "at '/mysql/podSecurityContext/fsGroup': got string, want integer",
  },
  {
    what: "an affinity of an unknown kind",
    json: ['trackingServer.affinity={"a":1}'],
    message: "at '/trackingServer/affinity': additional properties 'a' not allowed",
  },
  {
    what: "a node affinity with an unknown field",
    json: ['mysql.affinity={"nodeAffinity":{"x":1}}'],
    message: "at '/mysql/affinity/nodeAffinity': additional properties 'x' not allowed",
  },
];

test("the table holds at least 100 distinct cases", () => {
  expect(cases.length).toBeGreaterThanOrEqual(100);
  expect(new Set(cases.map((c) => args(c).join(" "))).size).toBe(cases.length);
  expect(new Set(cases.map((c) => c.what)).size).toBe(cases.length);
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

// Near misses of the rules above render: the rules refuse the unsafe case, not the feature.
const good: Omit<BadCase, "message">[] = [
  { what: "an egress rule with ports only", json: ['networkPolicy.extraEgress=[{"ports":[{"port":3128,"protocol":"TCP"}]}]'] },
  {
    what: "an ingress peer of one namespace",
    json: ['networkPolicy.trackingServerIngressFrom=[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}}]'],
  },
  { what: "an egress rule to one address range on every port", json: ['networkPolicy.extraEgress=[{"to":[{"ipBlock":{"cidr":"10.0.0.0/8"}}]}]'] },
  {
    what: "TLS options of an external database",
    set: ["externalDatabase.options=ssl_ca=/etc/ssl/certs/ca-certificates.crt&ssl_verify_cert=true&connect_timeout=10"],
  },
  { what: "a cron schedule with ranges, steps, lists and names", set: ["backup.schedule=*/15 1-5 1\\,15 JAN-MAR MON-FRI"] },
  { what: "a descriptor schedule and another time zone", set: ["backup.schedule=@daily", "backup.timeZone=Europe/Paris"] },
  {
    what: "a pod label and annotation of the user's own",
    json: ['trackingServer.podLabels={"team":"ml-platform","example.com/cost-center":"42"}', 'trackingServer.podAnnotations={"example.com/owner":"ml team"}'],
  },
  { what: "credentials in another directory", set: ["trackingServer.secretsMountPath=/run/secrets/mlflow"] },
  {
    what: "credentials in a directory inside /tmp (mounted within the emptyDir, as the end-to-end test does)",
    set: ["trackingServer.secretsMountPath=/tmp/mlflow-e2e.x1/secrets"],
  },
  {
    what: "an internal load balancer",
    set: ["trackingServer.service.type=LoadBalancer"],
    json: ['trackingServer.service.annotations={"service.beta.kubernetes.io/azure-load-balancer-internal":"true"}'],
  },
  {
    what: "requests equal to their limits in other units",
    set: ["trackingServer.resources.requests.cpu=1000m", "trackingServer.resources.requests.memory=2048Mi"],
  },
  { what: "an artifact path with nested folders and dots in names", set: ["storage.artifacts.path=team-a/v1.2/runs"] },
  { what: "a project service account of its own", set: ["mlflowProject.serviceAccount.name=mlflow-jobs"] },
];

test.each(good)("accepts $what", (c) => {
  const r = helmTemplate(args({ ...c, message: "" }));
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

// Found by __tests__/chart/hostile-values.test.ts: valid names that YAML 1.1 (kubectl, helm install, kubeconform) reads
// as a boolean, null or number were rendered bare, so "yes" became true and a claim named "null" no name at all.
const yamlWords: { what: string; json: string; rendered: string }[] = [
  { what: "a storage secret named yes", json: 'storage.existingSecret="yes"', rendered: 'name: "yes"' },
  { what: "a registry secret named 123", json: 'registry.existingSecret="123"', rendered: '- name: "123"' },
  { what: "a MySQL claim named null", json: 'mysql.persistence.existingClaim="null"', rendered: 'claimName: "null"' },
  { what: "a name override of 0x1f", json: 'nameOverride="0x1f"', rendered: 'app.kubernetes.io/name: "0x1f"' },
];

test.each(yamlWords)("keeps $what a string in every manifest", ({ json, rendered }) => {
  const r = helmTemplate(["--set-json", json]);
  expect(r.stderr).toBe("");
  expect(r.stdout).toContain(rendered);
  const word = JSON.parse(json.split("=")[1]!) as string;
  expect(r.stdout).not.toMatch(new RegExp(`: ${word}$`, "m"));
});

const refusals: string[] = [];

test.each(cases)("rejects $what", (c) => {
  const r = helmTemplate(args(c));
  refusals.push(r.stderr);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain(c.message);
  expect(r.stderr).not.toContain("twenty-characters-xx");
});

test("every fail rule of templates/_validate.tpl and tracking_server/_metrics.tpl refuses at least one case above", () => {
  const rules = ["_validate.tpl", "tracking_server/_metrics.tpl"].map((file) => readFileSync(join(CHART_DIR, "templates", file), "utf8")).join("\n");
  const formats = [...rules.matchAll(/fail \(?(?:printf )?"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\"/g, '"'));
  expect(formats.length).toBeGreaterThanOrEqual(15);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const untested = formats.filter((format) => {
    const pattern = new RegExp(
      format
        .split(/%[a-z]/)
        .map(escape)
        .join("[\\s\\S]*?"),
    );
    return !refusals.some((stderr) => pattern.test(stderr));
  });
  expect(untested).toEqual([]);
});

test("every requirement of values.schema.json (the `then` of an if/then rule) refuses at least one case above", () => {
  // The JSON pointer of each constraint inside a `then`, e.g. /registry/password; the error of a refused case names it.
  const paths = new Set<string>();
  const walk = (node: unknown, path: string, inThen: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, path, inThen));
    if (typeof node !== "object" || node === null) return;
    const n = node as Record<string, unknown>;
    if (inThen && ["minLength", "minItems", "const"].some((k) => k in n)) paths.add(path);
    if (inThen && Array.isArray(n.required)) paths.add(path);
    for (const [key, child] of Object.entries(n)) {
      if (key === "properties")
        for (const [name, sub] of Object.entries(child as object)) walk(sub, `${path}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, inThen);
      else if (key === "then") walk(child, path, true);
      else if (key === "allOf" || key === "if") walk(child, path, inThen && key !== "if");
    }
  };
  walk(JSON.parse(readFileSync(join(CHART_DIR, "values.schema.json"), "utf8")), "", false);
  expect(paths.size).toBeGreaterThanOrEqual(20);
  const untested = [...paths].filter((path) => !refusals.some((stderr) => stderr.includes(`at '${path}'`)));
  expect(untested).toEqual([]);
});
