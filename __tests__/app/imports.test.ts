import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../support/project";

// A barrel import loads a whole prebuilt provider (≈10x slower synth and tests): deep imports only.
const barrel = /from\s+["']@cdk(tf|tn)\/provider-[a-z0-9-]+["']|require\(\s*["']@cdk(tf|tn)\/provider-[a-z0-9-]+["']\s*\)/;

function projectTypeScriptFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: repoRoot, encoding: "utf8" });
  return listed.split("\n").filter((f) => f && !f.startsWith("node_modules/") && fs.existsSync(path.join(repoRoot, f)));
}

describe("provider imports", () => {
  const files = projectTypeScriptFiles();

  it("finds the project's TypeScript files", () => {
    expect(files).toEqual(expect.arrayContaining(["main.ts", "stacks/platform-stack.ts"]));
  });

  it("never import a provider package barrel", () => {
    const offenders = files.filter((f) => barrel.test(fs.readFileSync(path.join(repoRoot, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the check catches a barrel import", () => {
    const pkg = ["@cdktf", "provider-azurerm"].join("/"); // kept out of this file's own text
    expect(barrel.test(`import { KubernetesCluster } from "${pkg}";`)).toBe(true);
    expect(barrel.test(`const azurerm = require("${pkg}");`)).toBe(true);
    expect(barrel.test(`import { KubernetesCluster } from "${pkg}/lib/kubernetes-cluster";`)).toBe(false);
  });
});
