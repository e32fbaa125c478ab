import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "../..");

/** What a synth needs from the project: sources and settings, with node_modules linked, not copied. */
const synthInputs = ["main.ts", "cdktf.json", "package.json", "tsconfig.json", "config", "stacks", "helm_charts", "scripts/synth.mjs"];

/** A copy of the project's synth inputs in a fresh temporary directory. */
export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-"));
  for (const entry of synthInputs) {
    const from = path.join(repoRoot, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

export interface SynthResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const synthCommand = (cwd: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []) => ({
  file: process.execPath,
  args: ["scripts/synth.mjs", ...extraArgs],
  options: { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: "utf8" as const, timeout: 60_000 },
});

/** Runs the app as `npm run synth` does (scripts/synth.mjs), in the given directory. */
export function runSynth(cwd: string, env: NodeJS.ProcessEnv = {}, extraArgs: string[] = []): SynthResult {
  const { file, args, options } = synthCommand(cwd, env, extraArgs);
  const { status, stdout, stderr } = spawnSync(file, args, options);
  return { status, stdout, stderr };
}

/** runSynth without waiting for it, so several synths can run at once. */
export function startSynth(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<SynthResult> {
  const { file, args, options } = synthCommand(cwd, env);
  return new Promise((resolve) => {
    execFile(file, args, options, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Every file below dir, as relative path → contents. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
    }
  };
  walk("");
  return files;
}
