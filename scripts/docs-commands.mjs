// Runs the shell blocks of README.md and docs/*.md that are marked to run offline, so that every such command keeps
// working as written (npm run test:docs). The marker is an HTML comment above the block's fence (blank lines and
// other one-line comments may come between):
//
//   <!-- docs-commands: offline -->            run it (no Azure, no GitHub, cheap)
//   <!-- docs-commands: skip, <reason> -->     not run here; the reason says why (cloud, long suite, excerpt)
//
// Every sh/bash/shell block needs one of the two: an unmarked block fails the run. The blocks run one after another,
// each in its own `bash -e -o pipefail` from the top of one scratch copy of the working tree (tracked and untracked,
// not ignored files; node_modules and .tools linked), with .tools/bin first on PATH as the README sets it. A block
// still running after DOCS_COMMANDS_TIMEOUT seconds (default 600) fails, and coreutils' timeout ends it with everything
// it started; SIGINT/SIGTERM stop the block the same way and remove the scratch copy. Prints `docs: N passed, M failed`;
// exits non-zero on any failure.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const shells = new Set(["sh", "bash", "shell"]);
const timeoutSeconds = Number(process.env.DOCS_COMMANDS_TIMEOUT ?? 600);
const marker = /^<!--\s*docs-commands:\s*(offline|skip)\b\s*,?\s*(.*?)\s*-->$/;

/** The fenced shell blocks of one Markdown file, with the marker before each. */
export function shellBlocks(file, text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    if (shells.has(open[2])) {
      // The marker is among the blank and one-line HTML comment lines right above the fence.
      let mark = null;
      for (let before = i - 1; before >= 0 && !mark && /^(\s*|<!--.*-->\s*)$/.test(lines[before]); before--) mark = marker.exec(lines[before].trim());
      blocks.push({ where: `${file}:${i + 1}`, code: lines.slice(i + 1, end).join("\n"), mode: mark?.[1], reason: mark?.[2] });
    }
    i = end;
  }
  return blocks;
}

/** README.md and docs/*.md, in that order. */
function markdownFiles() {
  const docs = fs
    .readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

/** A copy of the working tree as a fresh clone plus local changes would hold it, with node_modules and .tools linked. */
function scratchCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-docs-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const file of files) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  for (const linked of ["node_modules", ".tools"]) {
    if (fs.existsSync(path.join(root, linked))) fs.symlinkSync(fs.realpathSync(path.join(root, linked)), path.join(dir, linked), "dir");
  }
  return dir;
}

/** Runs one block under coreutils' timeout, which ends it with everything it started (on a timeout or a signal passed on). */
function runBlock(code, options, started) {
  return new Promise((resolve) => {
    const child = spawn("timeout", ["--kill-after=10", String(timeoutSeconds), "bash", "-e", "-o", "pipefail", "-c", code], options);
    started(child);
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => (output += chunk));
    child.on("close", (status, signal) => resolve({ status, signal, output }));
  });
}

async function main() {
  if (!(timeoutSeconds > 0)) {
    console.error(`docs: DOCS_COMMANDS_TIMEOUT must be a number of seconds above 0, not "${process.env.DOCS_COMMANDS_TIMEOUT}"`);
    process.exit(2);
  }
  const blocks = markdownFiles().flatMap((file) => shellBlocks(file, fs.readFileSync(path.join(root, file), "utf8")));
  const failures = [];
  const unmarked = blocks.filter((b) => !b.mode);
  for (const b of unmarked) failures.push({ ...b, why: "no <!-- docs-commands: offline --> or <!-- docs-commands: skip, reason --> before it" });
  const skipped = blocks.filter((b) => b.mode === "skip");
  for (const b of skipped.filter((s) => !s.reason)) failures.push({ ...b, why: "marked skip without a reason" });

  const toRun = blocks.filter((b) => b.mode === "offline");
  const dir = scratchCopy();
  const env = { ...process.env, PATH: `${path.join(dir, ".tools", "bin")}${path.delimiter}${process.env.PATH}`, CI: "true", CHECKPOINT_DISABLE: "1" };
  let passed = 0;
  let running;
  let interrupted;
  // Interrupted: the block is stopped (timeout passes SIGTERM on to all it started: an inherited ignored SIGINT
  // would not stop it), then the scratch copy removed.
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ]) {
    process.once(signal, () => {
      interrupted = code;
      running?.kill("SIGTERM");
    });
  }
  const started = Date.now();
  try {
    for (const b of toRun) {
      if (interrupted) break;
      const t0 = Date.now();
      const run = await runBlock(b.code, { cwd: dir, env }, (child) => (running = child));
      if (interrupted) break;
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      if (run.status === 0) {
        passed++;
        console.log(`docs: ok   ${b.where} (${seconds} s)`);
      } else {
        const output = run.output.trimEnd().split("\n").slice(-30).join("\n");
        const why = Date.now() - t0 >= timeoutSeconds * 1000 ? `timed out after ${timeoutSeconds} s` : `exit ${run.status ?? run.signal}`;
        failures.push({ ...b, why: `${why}:\n${output}` });
        console.log(`docs: FAIL ${b.where} (${seconds} s)`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (interrupted) process.exit(interrupted);
  for (const f of failures) {
    console.error(`\n${f.where}: ${f.why}\n  command:\n${f.code.replace(/^/gm, "    ")}`);
  }
  console.log(`docs: ${skipped.length} blocks marked skip (not run), ${((Date.now() - started) / 1000).toFixed(0)} s for the offline ones`);
  console.log(`docs: ${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
