import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { renderChart } from "../../scripts/render-environment";
import { writePrivateFile } from "../../scripts/values";
import { chartWorkspace, kubeValidate } from "../support/chart-workspace";
import { repoRoot } from "../support/project";

// The manual install path: `npm run values -- <env> --outputs <file>` writes the values file that
// `helm install` takes, from a deployed platform's outputs, with the stack's own values builder.

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-values-"));
const workspace = chartWorkspace();
afterAll(() => {
  workspace.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const secrets = { push_principal_password: "push-secret~value", storage_account_key: Buffer.from("storage-key").toString("base64") };
const outputs = {
  "infra-staging": {
    registry_login_server: "crmlflowstagingx7k2.azurecr.io",
    push_principal_client_id: "2b1e0c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
    storage_account_name: "stmlflowstagingx7k2",
    file_share_name: "mlflow-projects",
    artifact_container_name: "mlflow-artifacts",
    backup_container_name: "mlflow-backups",
    disk_encryption_set_id:
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mlflow-staging/providers/Microsoft.Compute/diskEncryptionSets/des-mlflow-staging",
    cluster_name: "aks-mlflow-staging",
    ...secrets,
  },
};

function runValues(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/values.ts", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env });
}

describe("npm run values", () => {
  const outputsFile = path.join(scratch, "outputs.json");
  fs.writeFileSync(outputsFile, JSON.stringify(outputs));
  const out = path.join(scratch, "staging", "values.yaml");
  const result = runValues(["staging", "--outputs", outputsFile, "--out", out]);

  it("writes the values file with mode 0600 and prints no secret", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    for (const secret of Object.values(secrets)) expect(result.stdout).not.toContain(secret);
  });

  it("holds the platform's outputs, the environment's sizes and fresh URI-safe database passwords", () => {
    const values = parse(fs.readFileSync(out, "utf8"));
    expect(values.registry).toEqual({
      server: "crmlflowstagingx7k2.azurecr.io",
      username: "2b1e0c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
      password: "push-secret~value",
    });
    expect(values.storage.accountName).toBe("stmlflowstagingx7k2");
    expect(values.storage.accountKey).toBe(secrets.storage_account_key);
    expect(values.mysql.auth.password).toMatch(/^[A-Za-z0-9._~-]{40}$/);
    expect(values.mysql.auth.rootPassword).toMatch(/^[A-Za-z0-9._~-]{40}$/);
    expect(values.mysql.auth.password).not.toBe(values.mysql.auth.rootPassword);
  });

  it("is accepted by helm install's renderer and gives valid manifests", () => {
    const values = parse(fs.readFileSync(out, "utf8"));
    const rendered = renderChart({ release: "mlflow", namespace: "mlflow", chart: workspace.chart, values, secrets: {}, secretSamples: new Map() });
    expect(rendered.stderr).toBe("");
    expect(rendered.status).toBe(0);
    expect(kubeValidate(rendered.stdout).status).toBe(0);
  });

  it("keeps an existing file private when it rewrites it, and says it was not", () => {
    fs.chmodSync(out, 0o460);
    const again = runValues(["staging", "--outputs", outputsFile, "--out", out]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`${out} was open to others (mode 460); it is 0600 now`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it("keeps the database passwords of an earlier run (the MySQL data was initialised with them)", () => {
    const before = parse(fs.readFileSync(out, "utf8")).mysql.auth;
    const again = runValues(["staging", "--outputs", outputsFile, "--out", out]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("kept the database passwords of the existing file");
    expect(again.stdout).not.toContain(before.password);
    expect(parse(fs.readFileSync(out, "utf8")).mysql.auth).toEqual(before);
  });

  it("refuses to overwrite a file it cannot read the passwords from", () => {
    const broken = path.join(scratch, "broken", "values.yaml");
    fs.mkdirSync(path.dirname(broken), { recursive: true });
    fs.writeFileSync(broken, "mysql:\n  auth: {}\n");
    const result = runValues(["staging", "--outputs", outputsFile, "--out", broken]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`--out ${broken} exists but is not a values file this script wrote (not JSON after its comment line)`);
    expect(fs.readFileSync(broken, "utf8")).toBe("mysql:\n  auth: {}\n");
  });

  it.each([
    [
      // JSON.parse's own message would quote "password":Kept-Secre
      "garbage holding a secret",
      '# header\n{"mysql": {"auth": {"password":Kept-Secret-1}}}',
      "is not a values file this script wrote",
    ],
    [
      "passwords of the wrong type",
      JSON.stringify({ mysql: { auth: { password: 7, rootPassword: "Kept-Secret-1" } } }),
      "lacks mysql.auth.password or mysql.auth.rootPassword as strings",
    ],
    ["JSON null", "null", "lacks mysql.auth.password"],
  ])("refuses an existing file with %s, quoting none of it", (_what, content, message) => {
    const existing = path.join(scratch, "existing", "values.yaml");
    fs.mkdirSync(path.dirname(existing), { recursive: true });
    fs.writeFileSync(existing, content);
    const result = runValues(["staging", "--outputs", outputsFile, "--out", existing]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain("Kept-Secre");
    expect(fs.readFileSync(existing, "utf8")).toBe(content);
  });

  it("refuses an --out that is a directory or a symbolic link, changing nothing", () => {
    const directory = path.join(scratch, "out-directory");
    fs.mkdirSync(directory);
    const link = path.join(scratch, "out-link.yaml");
    fs.symlinkSync(out, link);
    const before = fs.readFileSync(out, "utf8");
    for (const target of [directory, link]) {
      const result = runValues(["staging", "--outputs", outputsFile, "--out", target]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`--out ${target} must be a regular file, not a directory or symbolic link`);
    }
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(out, "utf8")).toBe(before);
  });

  it("gives concurrent first runs one set of passwords: exactly one run makes them, the others keep them", async () => {
    const shared = path.join(scratch, "concurrent", "values.yaml");
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/values.ts", "staging", "--outputs", outputsFile, "--out", shared], {
          cwd: repoRoot,
        });
        let stdout = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        return new Promise<{ code: number | null; stdout: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout })));
      }),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    expect(runs.filter((run) => !run.stdout.includes("kept the database passwords")).length).toBe(1);
    expect(parse(fs.readFileSync(shared, "utf8")).mysql.auth.password).toMatch(/^[A-Za-z0-9._~-]{40}$/);
    expect(fs.readdirSync(path.dirname(shared))).toEqual(["values.yaml"]);
  });
});

describe("writePrivateFile", () => {
  const dir = path.join(scratch, "write");
  fs.mkdirSync(dir, { recursive: true });

  it("does not replace a file when making a first one (a concurrent run made it), leaving no temporary file", () => {
    const file = path.join(dir, "first.yaml");
    fs.writeFileSync(file, "theirs");
    expect(() => writePrivateFile(file, "ours", { replace: false })).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(fs.readFileSync(file, "utf8")).toBe("theirs");
    expect(fs.readdirSync(dir)).toEqual(["first.yaml"]);
  });

  it("removes the temporary copy a killed run left behind, and not that of a running one", () => {
    const file = path.join(dir, "killed.yaml");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const [left, live] = [path.join(dir, `.killed.yaml.${gone.stdout}-1.tmp`), path.join(dir, `.killed.yaml.${process.pid}-2.tmp`)];
    fs.writeFileSync(left, "password: from a killed run");
    fs.writeFileSync(live, "password: being written");
    writePrivateFile(file, "ours", { replace: true });
    expect(fs.existsSync(left)).toBe(false);
    expect(fs.readFileSync(live, "utf8")).toBe("password: being written");
    fs.rmSync(live);
    fs.rmSync(file);
  });

  it("leaves what was there and no temporary file when the final rename fails", () => {
    const target = path.join(dir, "occupied");
    fs.mkdirSync(path.join(target, "inside"), { recursive: true });
    expect(() => writePrivateFile(target, "ours", { replace: true })).toThrow();
    expect(fs.readdirSync(target)).toEqual(["inside"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["first.yaml", "occupied"]);
  });
});

describe("npm run values for an environment with its front door enabled", () => {
  const frontDoor = {
    enabled: true,
    host: "mlflow.staging.example.internal",
    privateIpAddress: "10.21.3.250",
    allowedGroupObjectIds: ["7d1f0c2e-3a4b-4c5d-8e6f-0a1b2c3d4e5f"],
  };
  const env = { ...process.env, MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ staging: { frontDoor } }) };
  const frontDoorOutputs = {
    tenant_id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    front_door_client_id: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
    front_door_certificate_uri: "https://kv-mlflow-staging.vault.azure.net/certificates/mlflow-front-door",
    front_door_certificate_identity_client_id: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
  };
  const outputsFile = path.join(scratch, "front-door-outputs.json");
  fs.writeFileSync(outputsFile, JSON.stringify({ "infra-staging": { ...outputs["infra-staging"], ...frontDoorOutputs } }));
  const out = path.join(scratch, "front-door", "values.yaml");
  const result = runValues(["staging", "--outputs", outputsFile, "--out", out], env);

  it("writes the front door's values from the platform's outputs, with a fresh 32-character cookie secret", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const values = parse(fs.readFileSync(out, "utf8"));
    expect(values.frontDoor.enabled).toBe(true);
    expect(values.frontDoor.host).toBe(frontDoor.host);
    expect(values.frontDoor.entra).toEqual({
      tenantId: frontDoorOutputs.tenant_id,
      clientId: frontDoorOutputs.front_door_client_id,
      allowedGroupObjectIds: frontDoor.allowedGroupObjectIds,
    });
    expect(values.frontDoor.gateway.tls).toEqual({
      keyVaultCertificateUri: frontDoorOutputs.front_door_certificate_uri,
      identityClientId: frontDoorOutputs.front_door_certificate_identity_client_id,
    });
    expect(values.frontDoor.oauth2Proxy.cookieSecret).toMatch(/^[A-Za-z0-9._~-]{32}$/);
    expect(result.stdout).not.toContain(values.frontDoor.oauth2Proxy.cookieSecret);
  });

  it("is accepted by helm install's renderer, Gateway objects included", () => {
    const values = parse(fs.readFileSync(out, "utf8"));
    const rendered = renderChart({ release: "mlflow", namespace: "mlflow", chart: workspace.chart, values, secrets: {}, secretSamples: new Map() });
    expect(rendered.stderr).toBe("");
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain("kind: HTTPRoute");
    expect(kubeValidate(rendered.stdout).status).toBe(0);
  });

  it("keeps the cookie secret of an earlier run (a new one would sign everybody out)", () => {
    const before = parse(fs.readFileSync(out, "utf8")).frontDoor.oauth2Proxy.cookieSecret;
    expect(runValues(["staging", "--outputs", outputsFile, "--out", out], env).status).toBe(0);
    expect(parse(fs.readFileSync(out, "utf8")).frontDoor.oauth2Proxy.cookieSecret).toBe(before);
  });

  it("names the front door outputs it lacks, without writing a file", () => {
    const missing = path.join(scratch, "front-door-missing", "values.yaml");
    const result = runValues(["staging", "--outputs", path.join(scratch, "outputs.json"), "--out", missing], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("lacks tenant_id, front_door_client_id, front_door_certificate_uri, front_door_certificate_identity_client_id");
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe("npm run values with bad input", () => {
  const staging = outputs["infra-staging"];
  it.each<[string, string[], string | undefined, string]>([
    ["an unknown environment", ["nosuch"], JSON.stringify(outputs), 'values: unknown environment "nosuch" (known: dev, staging, prod'],
    ["outputs of another stack", ["dev"], JSON.stringify(outputs), "has no outputs of stack infra-dev (stacks in it: infra-staging)"],
    [
      "a stack entry that is a list",
      ["dev"],
      `{"infra-dev":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      "stack infra-dev's entry must be an object of its outputs",
    ],
    [
      "outputs without the sensitive ones",
      ["staging"],
      JSON.stringify({ "infra-staging": { ...staging, push_principal_password: undefined, storage_account_key: undefined } }),
      "lacks push_principal_password, storage_account_key (sensitive outputs need --outputs-file-include-sensitive-outputs)",
    ],
    ["a missing outputs file", ["staging"], undefined, "--outputs <file> does not exist"],
    ["an empty outputs file", ["staging"], "", "--outputs <file> is not JSON (it is empty)"],
    [
      "an outputs file that is not JSON",
      ["staging"],
      `{"infra-staging": {"storage_account_key": "${secrets.storage_account_key}"`,
      "--outputs <file> is not JSON",
    ],
    ["outputs that are a list", ["staging"], "[]", "--outputs <file> must hold an object of stacks' outputs"],
    [
      "a stack's outputs that are not an object",
      ["staging"],
      JSON.stringify({ "infra-staging": "x" }),
      "stack infra-staging's entry must be an object of its outputs",
    ],
    [
      "an output of the wrong type",
      ["staging"],
      JSON.stringify({ "infra-staging": { ...staging, storage_account_name: 42, file_share_name: "" } }),
      "stack infra-staging's storage_account_name, file_share_name must be non-empty strings",
    ],
  ])("fails on %s without writing a file or printing a secret", (_what, args, content, message) => {
    const file = path.join(scratch, `bad-${_what.replace(/\W+/g, "-")}.json`);
    if (content !== undefined) fs.writeFileSync(file, content);
    const out = path.join(scratch, "bad", "values.yaml");
    const result = runValues([...args, "--outputs", file, "--out", out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message.replace("<file>", file));
    for (const secret of Object.values(secrets)) expect(result.stderr + result.stdout).not.toContain(secret);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses a directory as the outputs file", () => {
    const result = runValues(["staging", "--outputs", scratch, "--out", path.join(scratch, "bad", "values.yaml")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`--outputs ${scratch} must be a regular file`);
  });

  it.each([
    [[]],
    [["staging", "--outputs"]],
    [["staging", "prod", "--outputs", "x.json"]],
    [["staging", "--outputs", "x.json", "--bogus"]],
    [["staging", "--outputs", "x.json", "--out", ""]],
  ])("prints its usage for the arguments %j", (args) => {
    const result = runValues(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: npm run values -- <env> --outputs <outputs.json> [--out <file>]");
  });
});
