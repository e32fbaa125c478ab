// Bad and hostile input never reaches Azure or the cluster. One table across the two ways in: environment config
// (MLFLOW_CONFIG_OVERRIDES and the other variables, through the real synth in a copy of the project) and chart
// values (through the real `helm template`). Each case must fail with its specific message, naming the field and
// the rule, and leave nothing behind: no cdktf.out, no manifest on stdout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { settingVariables } from "../../config/settings";
import { helmTemplate } from "../chart/helm";
import { copyProject, runSynth } from "../support/project";

type BadInput = { what: string; config: NodeJS.ProcessEnv; message: string } | { what: string; values: Record<string, unknown>; message: string };

const overrides = (o: unknown): NodeJS.ProcessEnv => ({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(o) });
const tooLong = (n: number) => "x".repeat(n);

const table: BadInput[] = [
  // Environment config, through every variable the app reads (config/settings.ts). Each message is "[env] field: rule";
  // the rules themselves, hostile text included, are tested in-process by __tests__/config/validation.test.ts.
  {
    what: "a quote in the naming prefix",
    config: overrides({ dev: { namingPrefix: 'ml"flow' } }),
    message: "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits",
  },
  {
    what: "a shell command in the state container",
    config: { TF_STATE_RESOURCE_GROUP: "rg-tfstate", TF_STATE_STORAGE_ACCOUNT: "sttfstate", TF_STATE_CONTAINER: "tfstate; rm -rf /" },
    message: "[*] TF_STATE_CONTAINER: must be 3-63 lowercase letters, digits and single hyphens",
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
  {
    what: "a shell command as an authorized range",
    config: { MLFLOW_AUTHORIZED_IP_RANGES: "203.0.113.7/32;curl evil.example" },
    message: "[dev] network.authorizedIpRanges.0: must be an IPv4 CIDR",
  },

  // Chart values: schema messages name the JSON path of the value and the rule it breaks. A case repeating one of the
  // chart's own table (__tests__/chart/bad-values.test.ts: same field, rule and kind of input) is left to that table.
  {
    what: "a quote in the registry server",
    values: { registry: { server: 'evil.io"' } },
    message: "at '/registry/server': 'evil.io\"' does not match pattern",
  },
  { what: "shell interpolation as the image tag", values: { image: { tag: "${IMAGE}" } }, message: "at '/image/tag': '${IMAGE}' does not match pattern" },
  { what: "a very long fullnameOverride", values: { fullnameOverride: tooLong(100) }, message: "at '/fullnameOverride': maxLength: got 100, want 40" },
  { what: "unicode in nameOverride", values: { nameOverride: "mlflöw" }, message: "at '/nameOverride': 'mlflöw' does not match pattern" },
  { what: "SQL in the database name", values: { mysql: { auth: { database: "mlflow`; DROP DATABASE mlflow;`" } } }, message: "at '/mysql/auth/database'" },
  { what: "a NUL byte in the database user", values: { mysql: { auth: { username: "root\u0000" } } }, message: "at '/mysql/auth/username'" },
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
    what: "a pull secret name reaching into another namespace",
    values: { registry: { existingSecret: "../kube-system/admin" } },
    message: "at '/registry/existingSecret'",
  },
];

let project: string;
let scratch: string;
beforeAll(() => {
  project = copyProject();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-bad-input-"));
});
afterAll(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("the table covers every variable the app reads and the chart values, each case once", () => {
  const variables = new Set(table.flatMap((c) => ("config" in c ? Object.keys(c.config) : [])));
  expect([...Object.values(settingVariables)].filter((v) => !variables.has(v))).toEqual([]);
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
