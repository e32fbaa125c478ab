// npm run test:docs: runs the shell blocks of README.md, docs/*.md and helm_charts/*/README.md that are marked to run
// offline, so that every such command keeps working as written (docs/lint.md). The marker is an HTML comment above the
// block's fence (blank lines and other one-line comments may come between); every sh/bash/shell block needs one, or the
// run fails:
//   <!-- docs-commands: offline -->            run it (no Azure, no GitHub, cheap)
//   <!-- docs-commands: skip, <reason> -->     not run here; the reason says why (cloud, long suite, excerpt)
// Each block runs in `bash -e -o pipefail` from the top of one scratch copy of the working tree, under coreutils' timeout
// (DOCS_COMMANDS_TIMEOUT seconds, default 600), which ends it with all it started, also on SIGINT/SIGTERM.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const timeoutSeconds = Number(process.env.DOCS_COMMANDS_TIMEOUT ?? 600);
if (!(timeoutSeconds > 0)) {
  console.error(`docs: DOCS_COMMANDS_TIMEOUT must be a number of seconds above 0, not "${process.env.DOCS_COMMANDS_TIMEOUT}"`);
  process.exit(2);
}
const marker = /^<!--\s*docs-commands:\s*(offline|skip)\b\s*,?\s*(.*?)\s*-->$/;

/** The fenced shell blocks of one Markdown file, each with the marker among the blank and one-line comment lines above it. */
function shellBlocks(file) {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const fences = [...text.matchAll(/^(`{3,}|~{3,})[ \t]*([\w-]*).*\n([^]*?)(?:^\1|(?![^]))/gm)];
  return fences
    .filter((fence) => ["sh", "bash", "shell"].includes(fence[2]))
    .map((fence) => {
      const above = text.slice(0, fence.index).split("\n").slice(0, -1).reverse();
      const end = above.findIndex((line) => !/^(\s*|<!--.*-->\s*)$/.test(line));
      const mark = above
        .slice(0, end < 0 ? undefined : end)
        .map((line) => marker.exec(line.trim()))
        .find(Boolean);
      return { where: `${file}:${above.length + 1}`, code: fence[3].replace(/\n$/, ""), mode: mark?.[1], reason: mark?.[2] };
    });
}

const inFolders = (parent, name) =>
  fs.existsSync(path.join(root, parent)) ? fs.readdirSync(path.join(root, parent)).map((entry) => `${parent}/${entry}${name}`) : [];
const docs = [...inFolders("docs", ""), ...inFolders("helm_charts", "/README.md")].filter(
  (file) => file.endsWith(".md") && fs.existsSync(path.join(root, file)),
);
const blocks = ["README.md", ...docs.sort()].flatMap(shellBlocks);
const problem = (b) =>
  !b.mode
    ? "no <!-- docs-commands: offline --> or <!-- docs-commands: skip, reason --> before it"
    : b.mode === "skip" && !b.reason
      ? "marked skip without a reason"
      : "";
const failures = blocks.filter(problem).map((b) => ({ ...b, why: problem(b) }));
const skipped = blocks.filter((b) => b.mode === "skip").length;

// The scratch copy holds what a fresh clone plus local changes would (tracked and untracked, not ignored files), with
// node_modules and .tools linked, and .tools/bin first on PATH as the README sets it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-docs-"));
for (const file of execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0")) {
  if (file && fs.existsSync(path.join(root, file))) fs.cpSync(path.join(root, file), path.join(dir, file));
}
for (const linked of ["node_modules", ".tools"].filter((name) => fs.existsSync(path.join(root, name)))) {
  fs.symlinkSync(fs.realpathSync(path.join(root, linked)), path.join(dir, linked), "dir");
}
const env = { ...process.env, PATH: `${path.join(dir, ".tools", "bin")}${path.delimiter}${process.env.PATH}`, CI: "true", CHECKPOINT_DISABLE: "1" };

let running;
let interrupted;
// Interrupted: the block gets SIGTERM, which timeout passes on to all it started (an inherited, ignored SIGINT would not
// stop them); then the scratch copy is removed.
for (const [signal, code] of Object.entries({ SIGINT: 130, SIGTERM: 143 })) {
  process.once(signal, () => {
    interrupted = code;
    running?.kill("SIGTERM");
  });
}

/** Runs one block; resolves to its exit status or signal, and its output. */
function runBlock(code) {
  return new Promise((resolve) => {
    running = spawn("timeout", ["--kill-after=10", String(timeoutSeconds), "bash", "-e", "-o", "pipefail", "-c", code], { cwd: dir, env });
    let output = "";
    for (const stream of [running.stdout, running.stderr]) stream.on("data", (chunk) => (output += chunk));
    running.on("close", (status, signal) => resolve({ status, signal, output }));
  });
}

const started = Date.now();
let passed = 0;
try {
  for (const b of blocks.filter((b) => b.mode === "offline")) {
    const t0 = Date.now();
    const run = await runBlock(b.code);
    if (interrupted) break;
    if (run.status === 0) passed++;
    else {
      const why = Date.now() - t0 >= timeoutSeconds * 1000 ? `timed out after ${timeoutSeconds} s` : `exit ${run.status ?? run.signal}`;
      failures.push({ ...b, why: `${why}:\n${run.output.trimEnd().split("\n").slice(-30).join("\n")}` });
    }
    console.log(`docs: ${run.status === 0 ? "ok  " : "FAIL"} ${b.where} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
if (interrupted) process.exit(interrupted);
for (const f of failures) console.error(`\n${f.where}: ${f.why}\n  command:\n${f.code.replace(/^/gm, "    ")}`);
console.log(`docs: ${skipped} blocks marked skip (not run), ${((Date.now() - started) / 1000).toFixed(0)} s for the offline ones`);
console.log(`docs: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
