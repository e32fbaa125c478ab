#!/usr/bin/env node
// Synthesizes every stack like `cdktf synth`, at half its time and memory (docs/performance.md): main.ts and all it loads
// are bundled by esbuild into .gen/synth/ (rebuilt when an input changed) and run with V8's code cache; `tsc --incremental`
// refuses type errors, beside the app and only when a source changed; the output is staged and replaces cdktf.out only
// when both passed. Byte-for-byte that of `node --import tsx main.ts`; one line per stack written goes to stdout.
//   node scripts/synth.mjs [--verbose | --check-types]   --verbose: errors with their stack trace; --check-types: only tsc
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as vm from "node:vm";

const projectRoot = path.resolve(import.meta.dirname, "..");
const genDir = path.join(projectRoot, ".gen", "synth");
const bundleFile = path.join(genDir, "main.cjs");
const inputsFile = path.join(genDir, "inputs.json");
const codeCacheFile = `${bundleFile}.v8-cache`;
const TARGET = `node${process.versions.node.split(".")[0]}`;
const BUILD = `1/${TARGET}`; // recorded with the inputs: bump the number when the build options change

/** Writes a file by renaming a temporary one into place: a concurrent synth never reads half of it. */
function writeAtomically(file, contents) {
  fs.writeFileSync(`${file}.${process.pid}.tmp`, contents);
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** "mtime:size" of a project file (undefined when gone); "stale" when changed after `since`: esbuild may have read it before. */
function fingerprint(rel, since = Infinity) {
  const stat = fs.statSync(path.join(projectRoot, rel), { throwIfNoEntry: false });
  return stat && (stat.mtimeMs >= since ? "stale" : `${stat.mtimeMs}:${stat.size}`);
}

/** True when the bundle was built from exactly the files now on disk. */
function bundleIsCurrent() {
  try {
    const recorded = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
    return recorded.build === BUILD && fs.existsSync(bundleFile) && Object.entries(recorded.files).every(([rel, was]) => fingerprint(rel) === was);
  } catch {
    return false;
  }
}

// Each bundled module using __dirname/__filename gets its own, not the bundle's (main.ts reads the chart beside it; cdktf runs its files by path).
const originalPathsPlugin = {
  name: "original-paths",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      const source = fs.readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const rel = JSON.stringify(path.relative(projectRoot, args.path).split(path.sep).join("/"));
      const prologue = `var __filename = require("node:path").join(__synthProjectRoot, ${rel}), __dirname = require("node:path").dirname(__filename);\n`;
      return { contents: prologue + source, loader: /\.[cm]?ts$/.test(args.path) ? "ts" : "js" };
    });
  },
};

async function buildBundle() {
  const esbuild = await import("esbuild");
  const tmpBundle = `${bundleFile}.${process.pid}.tmp`;
  const started = Date.now();
  const { metafile } = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: ["main.ts"],
    outfile: tmpBundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: TARGET,
    banner: { js: 'var __synthProjectRoot = require("node:path").resolve(__dirname, "../..");' }, // two levels below the project root
    plugins: [originalPathsPlugin],
    metafile: true,
    logLevel: "silent", // its errors reach the user through describeError, in one line
  });
  const inputs = [...Object.keys(metafile.inputs), "scripts/synth.mjs", "node_modules/.package-lock.json"]; // + what npm installed
  const files = Object.fromEntries(inputs.map((rel) => [rel, fingerprint(rel, started - 1000)])); // 1 s margin: coarse mtimes
  fs.rmSync(codeCacheFile, { force: true });
  fs.renameSync(tmpBundle, bundleFile);
  writeAtomically(inputsFile, JSON.stringify({ build: BUILD, esbuild: esbuild.version, files }));
}

/** Runs the bundle as a CommonJS module; V8's code cache, when missing or rejected, is written at exit, with this run's functions. */
function runBundle() {
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(bundleFile, "utf8")}\n})`; // Node.js's CommonJS wrapper
  const script = new vm.Script(wrapped, { filename: bundleFile, cachedData });
  process.once("exit", () => {
    try {
      if (!cachedData || script.cachedDataRejected) writeAtomically(codeCacheFile, script.createCachedData());
    } catch {
      // A read-only checkout only loses the speed-up.
    }
  });
  const module = { exports: {}, filename: bundleFile, id: bundleFile };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, genDir);
}

// ---- Type check: a pass is remembered by the sources' content in node_modules/.cache/, for project copies sharing it too.
const typecheckConfig = path.join(genDir, "tsconfig.json");
const passCacheDir = path.join(projectRoot, "node_modules", ".cache", "mlflow-aks-synth", "typecheck");
const passSourcesFile = path.join(passCacheDir, "sources.json");

/** Hash of these project files' contents with what else decides the verdict; throws when one is missing. */
function sourcesHash(files) {
  const hash = createHash("sha256");
  for (const rel of ["tsconfig.json", "node_modules/.package-lock.json", "node_modules/typescript/package.json", ...files]) {
    const contents = fs.readFileSync(path.join(projectRoot, rel));
    hash.update(`${rel}\0${contents.length}\0`).update(contents);
  }
  return hash.digest("hex");
}

/** True when these exact sources passed the type check before. */
function typesKnownGood() {
  try {
    return fs.existsSync(path.join(passCacheDir, sourcesHash(JSON.parse(fs.readFileSync(passSourcesFile, "utf8")))));
  } catch {
    return false;
  }
}

/** Remembers the sources of a passed check: the project files tsc read, listed in its build info. */
function recordTypesGood() {
  try {
    const files = JSON.parse(fs.readFileSync(path.join(genDir, "typecheck.tsbuildinfo"), "utf8"))
      .fileNames.map((f) => path.relative(projectRoot, path.resolve(genDir, f)).split(path.sep).join("/"))
      .filter((rel) => !rel.startsWith("..") && !rel.startsWith("node_modules/"))
      .sort();
    fs.mkdirSync(passCacheDir, { recursive: true });
    fs.writeFileSync(path.join(passCacheDir, sourcesHash(files)), "");
    writeAtomically(passSourcesFile, JSON.stringify(files));
  } catch {
    // Not remembered: the next synth checks again.
  }
}

/** Starts tsc on main.ts; resolves to its diagnostics ("" when the types are sound). */
function startTypeCheck() {
  const compilerOptions = { noEmit: true, incremental: true, tsBuildInfoFile: "./typecheck.tsbuildinfo" };
  writeAtomically(typecheckConfig, JSON.stringify({ extends: "../../tsconfig.json", files: ["../../main.ts"], include: [], compilerOptions }));
  const tsc = [path.join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "--project", typecheckConfig, "--pretty", "false"];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, tsc, { cwd: projectRoot, maxBuffer: Infinity }, (error, stdout, stderr) => {
      if (!error) recordTypesGood();
      resolve(error ? `${stdout}${stderr}`.trim() || `tsc exited with ${error.code ?? error.signal}` : "");
    });
    process.once("exit", () => child.kill());
  });
}

// ---- Output folder: $CDKTF_OUTDIR (the CLI sets it) or ./cdktf.out, as cdktf's App; staged beside it for the same chart paths.
const outDir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
const stagingDir = `${outDir}.${process.pid}.tmp`;
const displayOut = path.relative(process.cwd(), outDir) || ".";
const removeStaging = () => fs.rmSync(stagingDir, { recursive: true, force: true });

/** Removes the staging and old folders of synths that died without cleaning up (SIGKILL), so they do not pile up. */
function removeLeftovers() {
  const prefix = `${path.basename(outDir)}.`;
  for (const entry of fs.readdirSync(path.dirname(outDir))) {
    const pid = entry.startsWith(prefix) ? /^(\d+)\.(tmp|old)$/.exec(entry.slice(prefix.length))?.[1] : undefined;
    if (pid && !processAlive(Number(pid))) fs.rmSync(path.join(path.dirname(outDir), entry), { recursive: true, force: true });
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

// Puts the new output in place of the old one. Each rename is atomic, so cdktf.out is always one synth's whole output;
// when another synth swaps at the same moment, the target is taken again until ours lands.
function swapInStaging() {
  const previous = `${outDir}.${process.pid}.old`;
  for (;;) {
    try {
      return fs.renameSync(stagingDir, outDir);
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

let args;
try {
  args = parseArgs({ options: { verbose: { type: "boolean" }, "check-types": { type: "boolean" } } }).values;
} catch (error) {
  process.stderr.write(`synth: ${error.message}; usage: node scripts/synth.mjs [--verbose | --check-types]\n`);
  process.exit(2);
}

/** Stops with the reason and the previous output untouched. */
function fail(message) {
  process.stderr.write(`${message}\nNothing was synthesized; ${displayOut} is unchanged.\n`);
  process.exit(1);
}

/**
 * The error's first line (esbuild's: its first problem with its place; after an intro ending in ":", such as cdktf's
 * "Validation failed with the following errors:", also the first problem), or with --verbose the whole error.
 */
function describeError(error) {
  if (args.verbose) return error?.stack ?? String(error);
  const message = String(error?.message ?? error).replace(/^Build failed with \d+ errors?:\n(.*?)(ERROR|error): /, "$1");
  const [first = "unknown error", next] = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const shown = first.endsWith(":") && next ? `${first} ${next}` : first;
  return `synth failed: ${shown} (--verbose shows the whole error and its stack trace)`;
}

// Interrupted: exit handlers (staging removal, tsc's end) run; the swap is synchronous, so cdktf.out is never neither.
for (const [signal, code] of Object.entries({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 })) process.once(signal, () => process.exit(code));
try {
  fs.mkdirSync(genDir, { recursive: true });
} catch (error) {
  fail(`synth failed: cannot make its build folder ${path.relative(process.cwd(), genDir)}: ${error.message}`);
}
const typeCheck = typesKnownGood() ? Promise.resolve("") : startTypeCheck();
if (args["check-types"]) {
  // Only the type check (the tests' global setup), so that every synth after it finds the sources checked.
  const typeErrors = await typeCheck;
  if (typeErrors) process.stderr.write(`${typeErrors}\n`);
  process.exit(typeErrors ? 1 : 0);
}
// The swap replaces the output folder whole: never one that is not a synth's output (CDKTF_OUTDIR="" or "config").
if (!isReplaceable(outDir)) {
  fail(`synth failed: the output folder ${outDir} holds no manifest.json, so it is no synth's output: refusing to replace it (CDKTF_OUTDIR sets the folder)`);
}
process.once("exit", removeStaging);
if (!bundleIsCurrent()) await buildBundle().catch((error) => fail(describeError(error)));
removeStaging();
removeLeftovers();
process.env.CDKTF_OUTDIR = stagingDir;
// main.ts runs on load (the executor runs at once): validates the configuration (exits 1 with the reasons), writes the stacks.
const synthFailure = new Promise((resolve) => resolve(runBundle())).then(() => "", describeError);
const typeErrors = await typeCheck;
if (typeErrors) fail(`${typeErrors}\nsynth refused: type errors above (tsc).`);
if (await synthFailure) fail(await synthFailure);
const { stacks } = JSON.parse(fs.readFileSync(path.join(stagingDir, "manifest.json"), "utf8"));
swapInStaging();
for (const stack of Object.values(stacks)) process.stdout.write(`synth: wrote ${displayOut}/${path.dirname(stack.synthesizedStackPath)}\n`);
