// The deploy guard of a public environment, planned with the real terraform binary (a real tool, so an integration
// test): without authorized ranges no deploy can start, and terraform's message says how to find your address.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AUTHORIZED_RANGES, onlyResourceOf, synthAll, type TerraformJson } from "../support/stacks";

// dev as public-platform.test.ts has it: two authorized ranges, no customer-managed key (one shared synth).
const app = synthAll({
  MLFLOW_AUTHORIZED_IP_RANGES: AUTHORIZED_RANGES.join(","),
  MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ dev: { encryption: { customerManagedKey: false } } }),
});
const infra = app.json("infra-dev");

/** Plans the synthesized guard (its resource and locals) alone with the real terraform binary (terraform_data needs no provider). */
function planGuard(json: TerraformJson): { status: number | null; output: string } {
  const guards = json.resource["terraform_data"] ?? {};
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (terraform.error) throw new Error("terraform is not on PATH (version: TERRAFORM_VERSION in scripts/versions.env)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-guard-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ locals: (json as { locals?: unknown }).locals, resource: { terraform_data: guards } }));
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const init = spawnSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const plan = spawnSync("terraform", ["plan", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    return { status: plan.status, output: `${plan.stdout}${plan.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("a public environment without authorized ranges", () => {
  const bare = synthAll().json("infra-dev");

  it("synthesizes (the quick start works on a fresh machine)", () => {
    expect(onlyResourceOf(bare, "azurerm_kubernetes_cluster").api_server_access_profile).toEqual({ authorized_ip_ranges: [] });
  });

  it("cannot be planned, so no deploy starts: terraform refuses it and says how to find your address", () => {
    const { status, output } = planGuard(bare);
    expect(status).not.toBe(0);
    const message = output.replace(/[│\s]+/g, " ");
    expect(message).toContain("Environment dev is in public access mode and has no authorized IP range");
    expect(message).toContain("curl -s https://api.ipify.org");
    expect(message).toContain('export MLFLOW_AUTHORIZED_IP_RANGES="$(curl -s https://api.ipify.org)/32"');
  });

  it("plans once a range is authorized", () => {
    const { status, output } = planGuard(infra);
    expect(output).toContain("1 to add");
    expect(status).toBe(0);
  });

  it("private environments carry no guard (their endpoints are private)", () => {
    expect(app.json("infra-staging").resource["terraform_data"]).toBeUndefined();
  });
});
