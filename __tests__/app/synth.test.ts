import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyProject, readTree, repoRoot, type SynthResult, startSynth } from "../support/project";

const workdirs: string[] = [];
afterAll(() => workdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function freshCopy(): string {
  const dir = copyProject();
  workdirs.push(dir);
  return dir;
}

// The three synths below run at once (each is a separate process), before any assertion.
const first = freshCopy();
const second = freshCopy();
const broken = freshCopy();
let results: SynthResult[] = [];
let brokenResult: SynthResult;
beforeAll(async () => {
  const overrides = { dev: { storage: { fileShareQuotaGb: 0 } }, prod: { kubernetes: { localAccountsEnabled: true } } };
  [brokenResult, ...results] = await Promise.all([
    startSynth(broken, { MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) }),
    startSynth(first),
    startSynth(second),
  ]);
});

describe("synth of the whole app", () => {
  it("succeeds and writes every stack of every environment", () => {
    for (const result of results) expect(result.stderr).toBe("");
    for (const result of results) expect(result.status).toBe(0);
    const stacks = fs.readdirSync(path.join(first, "cdktf.out", "stacks")).sort();
    expect(stacks).toEqual(
      expect.arrayContaining(["network-dev", "infra-dev", "mlflow-dev", "network-prod", "infra-prod", "network-staging", "infra-staging"]),
    );
  });

  it("is byte-for-byte identical in two different directories", () => {
    const a = readTree(path.join(first, "cdktf.out"));
    const b = readTree(path.join(second, "cdktf.out"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, contents] of a) expect({ file, contents }).toEqual({ file, contents: b.get(file) });
  });

  it("holds no machine path", () => {
    const machinePaths = [first, second, repoRoot, os.homedir(), os.tmpdir()];
    for (const [file, contents] of readTree(path.join(first, "cdktf.out"))) {
      for (const p of machinePaths) expect({ file, found: contents.includes(p) }).toEqual({ file, found: false });
    }
  });
});

describe("synth with a broken environment", () => {
  it("exits non-zero naming each environment, field and rule", () => {
    expect(brokenResult.status).toBe(1);
    expect(brokenResult.stderr).toContain("Invalid configuration (2 problems):");
    expect(brokenResult.stderr).toContain("[dev] storage.fileShareQuotaGb: Too small: expected number to be >=1");
    expect(brokenResult.stderr).toContain("[prod] kubernetes.localAccountsEnabled: production policy: must be false (Entra ID sign-in only)");
    expect(brokenResult.stderr).toContain("Nothing was synthesized.");
  });

  it("writes nothing", () => {
    expect(fs.existsSync(path.join(broken, "cdktf.out"))).toBe(false);
  });
});
