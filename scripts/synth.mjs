#!/usr/bin/env node
// Synthesizes every stack of every environment, like `cdktf synth` with ts-node, but faster:
// - main.ts and everything it loads (project TypeScript and node_modules JavaScript) is bundled by esbuild
//   into one CommonJS file under the git-ignored .gen/synth/, rebuilt only when one of its input files changes.
//   Why: most of a synth is spent finding, reading and compiling hundreds of modules; one pre-built file,
//   run with V8's code cache kept beside it, halves the wall time and memory (docs/performance.md).
// - Types are checked like the CLI does (a type error is refused), by `tsc --incremental` in a second process
//   while the app runs, and only when a source changed: the sources that last passed are remembered by content.
// - The app writes into a temporary folder beside the output folder, swapped in only when synth and type
//   check both succeeded: a failing synth leaves the previous cdktf.out as it was.
// Output is byte-for-byte that of `node --import tsx main.ts`; one line per stack written goes to stdout.
//
//   node scripts/synth.mjs [--verbose]     (what `npm run synth` and cdktf.json's app run)
//   node scripts/synth.mjs --check-types   only the type check (skipped when the sources passed before)
//   --verbose (or SYNTH_VERBOSE=1): an unexpected error is shown with its stack trace, not only its cause.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as vm from "node:vm";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const genDir = path.join(projectRoot, ".gen", "synth");
const bundleFile = path.join(genDir, "main.cjs");
const inputsFile = path.join(genDir, "inputs.json");
const codeCacheFile = path.join(genDir, "main.cjs.v8-cache");
// Bump when the build options below change, so old bundles are rebuilt.
const BUILD_FORMAT = 1;
const TARGET = `node${process.versions.node.split(".")[0]}`;
// Extra inputs besides the bundled modules: this runner, and npm's record of what is installed.
const EXTRA_INPUTS = ["scripts/synth.mjs", "node_modules/.package-lock.json"];

/** Writes a file by renaming a temporary one into place: a concurrent synth never reads half of it. */
function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** mtime and size of a project-relative file, or null when it is gone. */
function fingerprint(rel) {
  try {
    const stat = fs.statSync(path.join(projectRoot, rel));
    return [stat.mtimeMs, stat.size];
  } catch {
    return null;
  }
}

/** True when the bundle was built from exactly the files now on disk. */
function bundleIsCurrent() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
  } catch {
    return false;
  }
  if (recorded.format !== BUILD_FORMAT || recorded.target !== TARGET || !fs.existsSync(bundleFile)) return false;
  return Object.entries(recorded.files).every(([rel, was]) => {
    const now = fingerprint(rel);
    return now !== null && now[0] === was[0] && now[1] === was[1];
  });
}

/**
 * A bundled module would see the bundle's own __dirname/__filename. Give each module that uses them
 * its original location instead (main.ts reads the chart next to it; cdktf runs one of its files by path).
 */
const originalPathsPlugin = {
  name: "original-paths",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      const source = fs.readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const rel = JSON.stringify(path.relative(projectRoot, args.path).split(path.sep).join("/"));
      const prologue = `var __filename = require("node:path").join(__synthProjectRoot, ${rel}), ` + `__dirname = require("node:path").dirname(__filename);\n`;
      const loader = /\.[cm]?ts$/.test(args.path) ? "ts" : "js";
      return { contents: prologue + source, loader };
    });
  },
};

async function buildBundle() {
  const esbuild = await import("esbuild");
  const tmpBundle = `${bundleFile}.${process.pid}.tmp`;
  const buildStarted = Date.now();
  const result = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: ["main.ts"],
    outfile: tmpBundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: TARGET,
    // The bundle lives in .gen/synth/, two levels below the project root.
    banner: { js: 'var __synthProjectRoot = require("node:path").resolve(__dirname, "../..");' },
    plugins: [originalPathsPlugin],
    metafile: true,
    // Its errors reach the user through describeError, in one line.
    logLevel: "silent",
  });
  const files = {};
  for (const rel of [...Object.keys(result.metafile.inputs), ...EXTRA_INPUTS]) {
    const print = fingerprint(rel);
    // A file saved while esbuild ran may be in the bundle in its older state: make the next run rebuild.
    // (The margin covers file systems whose timestamps are coarser than the clock.)
    if (print) files[rel] = print[0] >= buildStarted - 1000 ? [-1, -1] : print;
  }
  fs.rmSync(codeCacheFile, { force: true });
  fs.renameSync(tmpBundle, bundleFile);
  writeAtomically(inputsFile, JSON.stringify({ format: BUILD_FORMAT, target: TARGET, esbuild: esbuild.version, files }));
}

/**
 * Runs the bundle as a CommonJS module would run, with V8's compiled code cached beside it. V8 checks the
 * cache against the source and its own version; a cache it rejects (or none) is written anew at exit,
 * so it also holds the functions compiled during this run.
 */
function runBundle() {
  const source = fs.readFileSync(bundleFile, "utf8");
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    cachedData = undefined;
  }
  // The same function wrapper Node.js puts around every CommonJS module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: bundleFile, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        writeAtomically(codeCacheFile, script.createCachedData());
      } catch {
        // A read-only checkout only loses the speed-up.
      }
    });
  }
  const module = { exports: {}, filename: bundleFile, id: bundleFile };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, genDir);
}

// ---- Type check ---------------------------------------------------------------------------------------------
// tsc checks main.ts and what it imports with the project's tsconfig.json, keeping its incremental state in
// .gen/synth/. A pass is recorded under the hash of every project source tsc read (plus tsconfig.json, the
// installed packages and the TypeScript version) in node_modules/.cache/, so an unchanged tree skips tsc, and so
// do copies of the project that share its node_modules (the tests' synths).
const typecheckConfig = path.join(genDir, "tsconfig.json");
const buildInfoFile = path.join(genDir, "typecheck.tsbuildinfo");
const passCacheDir = path.join(projectRoot, "node_modules", ".cache", "mlflow-aks-synth", "typecheck");
const passSourcesFile = path.join(passCacheDir, "sources.json");

/** Hash of the given project files' contents with what else decides the verdict; null when one is missing. */
function sourcesHash(files) {
  const hash = createHash("sha256");
  for (const rel of ["tsconfig.json", "node_modules/.package-lock.json", "node_modules/typescript/package.json", ...files]) {
    let contents;
    try {
      contents = fs.readFileSync(path.join(projectRoot, rel));
    } catch {
      return null;
    }
    hash.update(`${rel}\0${contents.length}\0`).update(contents);
  }
  return hash.digest("hex");
}

/** True when these exact sources passed the type check before. */
function typesKnownGood() {
  try {
    const hash = sourcesHash(JSON.parse(fs.readFileSync(passSourcesFile, "utf8")));
    return hash !== null && fs.existsSync(path.join(passCacheDir, hash));
  } catch {
    return false;
  }
}

/** Remembers the sources of a passed check: the project files tsc read, listed in its build info. */
function recordTypesGood() {
  try {
    const { fileNames } = JSON.parse(fs.readFileSync(buildInfoFile, "utf8"));
    const files = fileNames
      .map((f) => path.relative(projectRoot, path.resolve(genDir, f)).split(path.sep).join("/"))
      .filter((rel) => !rel.startsWith("..") && !rel.startsWith("node_modules/"))
      .sort();
    const hash = sourcesHash(files);
    if (hash === null) return;
    fs.mkdirSync(passCacheDir, { recursive: true });
    fs.writeFileSync(path.join(passCacheDir, hash), "");
    writeAtomically(passSourcesFile, JSON.stringify(files));
  } catch {
    // Not remembered: the next synth checks again.
  }
}

/** Starts tsc on main.ts; resolves to its diagnostics ("" when the types are sound). */
function startTypeCheck() {
  const config = {
    extends: "../../tsconfig.json",
    files: ["../../main.ts"],
    include: [],
    compilerOptions: { noEmit: true, incremental: true, tsBuildInfoFile: "./typecheck.tsbuildinfo" },
  };
  writeAtomically(typecheckConfig, `${JSON.stringify(config, null, 2)}\n`);
  const tsc = path.join(projectRoot, "node_modules", "typescript", "bin", "tsc");
  const child = spawn(process.execPath, [tsc, "--project", typecheckConfig, "--pretty", "false"], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill();
  process.once("exit", killOnExit);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on("close", (code) => {
      process.removeListener("exit", killOnExit);
      if (code === 0) recordTypesGood();
      resolve(code === 0 ? "" : output.trim() || `tsc exited with ${code}`);
    });
  });
}

// ---- Output folder --------------------------------------------------------------------------------------------
// cdktf's App writes to $CDKTF_OUTDIR (the CLI sets it) or ./cdktf.out. The temporary folder sits beside it, so
// the stacks' relative paths to the chart are the same.
const outDir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
const stagingDir = `${outDir}.${process.pid}.tmp`;
const displayOut = path.relative(process.cwd(), outDir) || ".";

function removeStaging() {
  fs.rmSync(stagingDir, { recursive: true, force: true });
}

/** Removes the staging and old folders of synths that died without cleaning up (SIGKILL), so they do not pile up. */
function removeLeftovers() {
  const parent = path.dirname(outDir);
  const prefix = `${path.basename(outDir)}.`;
  for (const entry of fs.readdirSync(parent).filter((name) => name.startsWith(prefix))) {
    const pid = /^(\d+)\.(tmp|old)$/.exec(entry.slice(prefix.length))?.[1];
    if (pid && !processAlive(Number(pid))) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    return process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** True for a folder that a swap may replace: none, an empty one, or a synth's output (it holds manifest.json). */
function isReplaceable(dir) {
  try {
    return fs.readdirSync(dir).length === 0 || fs.existsSync(path.join(dir, "manifest.json"));
  } catch (error) {
    return error.code === "ENOENT";
  }
}

/**
 * Puts the new output in place of the old one. Each rename of a folder is atomic, so cdktf.out is always one
 * synth's whole output; when another synth swaps at the same moment, the target is taken again until ours lands.
 */
function swapInStaging() {
  const previous = `${outDir}.${process.pid}.old`;
  for (;;) {
    try {
      fs.renameSync(stagingDir, outDir);
      break;
    } catch (error) {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    }
    try {
      fs.renameSync(outDir, previous);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    fs.rmSync(previous, { recursive: true, force: true });
  }
}

/** The stacks the app wrote, from its manifest. */
function writtenStacks() {
  const manifest = JSON.parse(fs.readFileSync(path.join(stagingDir, "manifest.json"), "utf8"));
  return Object.values(manifest.stacks).map((stack) => `${displayOut}/${stack.synthesizedStackPath.replace(/\/cdk\.tf\.json$/, "")}`);
}

// ---- Run --------------------------------------------------------------------------------------------------------
let args;
try {
  args = parseArgs({ options: { verbose: { type: "boolean" }, "check-types": { type: "boolean" } } }).values;
} catch (error) {
  process.stderr.write(`synth: ${error.message}; usage: node scripts/synth.mjs [--verbose | --check-types]\n`);
  process.exit(2);
}
const verbose = args.verbose || process.env.SYNTH_VERBOSE === "1";

/** Stops with one line saying why (the stack trace only with --verbose) and the previous output untouched. */
function fail(lines) {
  process.stderr.write(`${lines.join("\n")}\nNothing was synthesized; ${displayOut} is unchanged.\n`);
  process.exit(1);
}

/** The error's first line, or with --verbose the whole error and its stack trace. */
function describeError(error) {
  if (verbose) return [error instanceof Error && error.stack ? error.stack : String(error)];
  // esbuild's build errors carry their first problem with its place; other errors their message's first line.
  const problem = error?.errors?.[0];
  const where = problem?.location ? `${problem.location.file}:${problem.location.line}:${problem.location.column}: ` : "";
  const message = problem ? `${where}${problem.text}` : error instanceof Error ? error.message : String(error);
  const first = message.split("\n").find((line) => line.trim() !== "") ?? "unknown error";
  return [`synth failed: ${first.trim()} (--verbose shows the whole error and its stack trace)`];
}

// Interrupted: exit handlers (the staging folder's removal, tsc's end) run; the swap itself is synchronous, so a
// signal waits for it and cdktf.out is the old output or the new one, never neither.
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
])
  process.once(signal, () => process.exit(code));
try {
  fs.mkdirSync(genDir, { recursive: true });
} catch (error) {
  fail([`synth failed: cannot make its build folder ${path.relative(process.cwd(), genDir)}: ${error.message}`]);
}
const typeCheck = typesKnownGood() ? Promise.resolve("") : startTypeCheck();
if (args["check-types"]) {
  // Only the type check, e.g. once before a test run, so that every synth after it finds the sources checked.
  const typeErrors = await typeCheck;
  if (typeErrors) process.stderr.write(`${typeErrors}\n`);
  process.exit(typeErrors ? 1 : 0);
}
// The swap replaces the output folder whole: never one that is not a synth's output (CDKTF_OUTDIR="" or "config").
if (!isReplaceable(outDir)) {
  fail([`synth failed: the output folder ${outDir} holds no manifest.json, so it is no synth's output: refusing to replace it (CDKTF_OUTDIR sets the folder)`]);
}
process.once("exit", removeStaging);
if (!bundleIsCurrent()) {
  try {
    await buildBundle();
  } catch (error) {
    fail(describeError(error));
  }
}
removeStaging();
removeLeftovers();
process.env.CDKTF_OUTDIR = stagingDir;
let synthError;
try {
  // main.ts runs on load: validates the configuration (exits 1 with the reasons when it is invalid), builds the
  // stacks and writes them.
  runBundle();
} catch (error) {
  synthError = error;
}
const typeErrors = await typeCheck;
if (typeErrors) fail([typeErrors, "synth refused: type errors above (tsc)."]);
if (synthError !== undefined) fail(describeError(synthError));
const stacks = writtenStacks();
swapInStaging();
for (const stack of stacks) process.stdout.write(`synth: wrote ${stack}\n`);
