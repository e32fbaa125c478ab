// The synth command itself (scripts/synth.mjs): what it prints, that it refuses type errors as `cdktf synth` with
// ts-node does, and that a failed synth leaves the previous cdktf.out exactly as it was.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyProject, readTree, runSynth, startSynth, type SynthResult } from "../support/project";

let project: string;
let first: SynthResult;
let previous: Map<string, string>;
beforeAll(() => {
  project = copyProject();
  first = runSynth(project);
  previous = readTree(path.join(project, "cdktf.out"));
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

/** Runs synth with a source file changed, then puts the file back. */
function synthWithEdit(file: string, edit: (source: string) => string, args: string[] = []): SynthResult {
  const full = path.join(project, file);
  const original = fs.readFileSync(full, "utf8");
  fs.writeFileSync(full, edit(original));
  try {
    return runSynth(project, {}, args);
  } finally {
    fs.writeFileSync(full, original);
  }
}

function expectPreviousOutputKept(): void {
  expect(readTree(path.join(project, "cdktf.out"))).toEqual(previous);
  const leftovers = fs.readdirSync(project).filter((entry) => entry.startsWith("cdktf.out."));
  expect(leftovers).toEqual([]);
}

describe("npm run synth", () => {
  it("prints one line per stack written, and nothing else", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const manifest = JSON.parse(previous.get("manifest.json") ?? "{}") as { stacks: Record<string, unknown> };
    const expected = Object.keys(manifest.stacks).map((name) => `synth: wrote cdktf.out/stacks/${name}`);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(first.stdout.trimEnd().split("\n").sort()).toEqual(expected.sort());
  });

  it("refuses a type error with tsc's message and keeps the previous output", () => {
    const result = synthWithEdit("stacks/build-app.ts", (s) => `${s}\nexport const typeErrorProbe: number = "not a number";\n`);
    expect(result.stderr).toMatch(/stacks\/build-app\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(result.stderr).toContain("synth refused: type errors above (tsc).");
    expect(result.stderr).toContain("Nothing was synthesized; cdktf.out is unchanged.");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expectPreviousOutputKept();
  });

  it("checks the types again once the error is fixed, and writes", () => {
    const result = runSynth(project);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readTree(path.join(project, "cdktf.out"))).toEqual(previous);
  });

  it("prints an unexpected error's cause in one line, with the stack trace only when asked", () => {
    // The chart folder gone: the app cannot load the chart schema its config rules read, nor the chart it deploys.
    const chart = path.join(project, "helm_charts");
    fs.renameSync(chart, `${chart}.away`);
    let result: SynthResult;
    let verbose: SynthResult;
    try {
      result = runSynth(project);
      verbose = runSynth(project, {}, ["--verbose"]);
    } finally {
      fs.renameSync(`${chart}.away`, chart);
    }
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^synth failed: .*helm_charts\/mlflow_setup.* \(--verbose shows the whole error and its stack trace\)$/),
      "Nothing was synthesized; cdktf.out is unchanged.",
    ]);
    expect(result.status).toBe(1);
    expect(verbose.stderr).toMatch(/helm_charts\/mlflow_setup[^]*\n\s+at /);
    expect(verbose.status).toBe(1);
    expectPreviousOutputKept();
  });

  it("keeps the previous output when the configuration is invalid", () => {
    const overrides = { dev: { storage: { fileShareQuotaGb: 0 } } };
    const result = runSynth(project, { MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
    expect(result.stderr).toContain("[dev] storage.fileShareQuotaGb: Too small");
    expect(result.stderr).toContain("Nothing was synthesized.");
    expect(result.status).toBe(1);
    expectPreviousOutputKept();
  });

  it("names terraform when it is not on PATH (cdktf checks its version for terraform_data), and keeps the previous output", () => {
    const bin = fs.mkdtempSync(path.join(project, ".no-terraform-"));
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
    let result: SynthResult;
    try {
      result = runSynth(project, { PATH: bin }); // node alone: no terraform wherever this machine has one
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    expect(result.stderr).toMatch(
      /^synth failed: Validation failed with the following errors: \[[a-z]+-[a-z]+\/[^\]]+\] Could not determine version of terraform/,
    );
    expect(result.status).toBe(1);
    expectPreviousOutputKept();
  });

  it("leaves one whole output when three synths of the same checkout swap at once", async () => {
    const results = await Promise.all([startSynth(project), startSynth(project), startSynth(project)]);
    for (const result of results) expect(result).toEqual({ status: 0, stdout: first.stdout, stderr: "" });
    expectPreviousOutputKept();
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])("stops on %s while the type check runs, with the previous output kept and no staging folder left", async (signal, code) => {
    // A changed source makes the type check run again, so the app's output waits in its staging folder.
    const file = path.join(project, "stacks/build-app.ts");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      `${original}
// ${signal} probe
`,
    );
    try {
      const child = spawn(process.execPath, ["scripts/synth.mjs"], { cwd: project, stdio: "ignore" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (status) => resolve(status)));
      const staging = path.join(project, `cdktf.out.${child.pid}.tmp`);
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(path.join(staging, "manifest.json")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(fs.existsSync(staging)).toBe(true);
      child.kill(signal as NodeJS.Signals);
      expect(await exited).toBe(code);
    } finally {
      fs.writeFileSync(file, original);
    }
    expectPreviousOutputKept();
  });

  it("names its build folder when it cannot make it, and keeps the previous output", () => {
    const gen = path.join(project, ".gen");
    fs.renameSync(gen, `${gen}.away`);
    fs.writeFileSync(gen, "a file where the build folder goes\n");
    let result: SynthResult;
    try {
      result = runSynth(project);
    } finally {
      fs.rmSync(gen);
      fs.renameSync(`${gen}.away`, gen);
    }
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^synth failed: cannot make its build folder \.gen\/synth: ENOTDIR/),
      "Nothing was synthesized; cdktf.out is unchanged.",
    ]);
    expect(result.status).toBe(1);
    expectPreviousOutputKept();
  });

  it("builds again from nothing when its build folder is gone", () => {
    fs.rmSync(path.join(project, ".gen"), { recursive: true });
    const result = runSynth(project);
    expect(result).toEqual({ status: 0, stdout: first.stdout, stderr: "" });
    expectPreviousOutputKept();
  });

  it.each([
    ["the project itself (empty)", ""],
    ["a source folder", "config"],
  ])("refuses CDKTF_OUTDIR naming %s: the swap would replace it", (_what, outdir) => {
    const config = readTree(path.join(project, "config"));
    const result = runSynth(project, { CDKTF_OUTDIR: outdir });
    expect(result.stderr).toContain(`synth failed: the output folder ${path.resolve(project, outdir)} holds no manifest.json`);
    expect(result.status).toBe(1);
    expect(readTree(path.join(project, "config"))).toEqual(config);
    expect(fs.existsSync(path.join(project, "main.ts"))).toBe(true);
    expectPreviousOutputKept();
  });

  it("refuses an unknown option, naming it", () => {
    const result = runSynth(project, {}, ["--verbsoe"]);
    // Node.js words the rest of its message differently between versions.
    expect(result.stderr).toMatch(/^synth: Unknown option '--verbsoe'.*; usage: node scripts\/synth\.mjs \[--verbose \| --check-types\]\n$/);
    expect(result.status).toBe(2);
  });

  it("removes what killed synths left behind, and nothing of a running one", () => {
    const sleeper = spawn("sleep", ["60"]);
    const kept = `cdktf.out.${sleeper.pid}.tmp`;
    try {
      for (const leftover of ["cdktf.out.999999999.tmp", "cdktf.out.999999998.old", kept])
        fs.mkdirSync(path.join(project, leftover, "stacks"), { recursive: true });
      const result = runSynth(project);
      expect(result.status).toBe(0);
      expect(fs.readdirSync(project).filter((entry) => entry.startsWith("cdktf.out."))).toEqual([kept]);
    } finally {
      sleeper.kill();
      fs.rmSync(path.join(project, kept), { recursive: true, force: true });
    }
    expectPreviousOutputKept();
  });
});
