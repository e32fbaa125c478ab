#!/usr/bin/env node
// Synthesizes every stack of every environment, like `node --import tsx main.ts`, but faster:
// main.ts and everything it loads (project TypeScript and node_modules JavaScript) is bundled by esbuild
// into one CommonJS file under the git-ignored .gen/synth/, rebuilt only when one of its input files changes.
// Why: most of a synth is spent finding, reading and compiling hundreds of modules; one pre-built file,
// run with V8's code cache kept beside it, halves the wall time and memory (docs/performance.md).
// Output is byte-for-byte the same.
//
//   node scripts/synth.mjs            (what `npm run synth` and cdktf.json's app run)
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
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
      const prologue =
        `var __filename = require("node:path").join(__synthProjectRoot, ${rel}), ` +
        `__dirname = require("node:path").dirname(__filename);\n`;
      const loader = /\.[cm]?ts$/.test(args.path) ? "ts" : "js";
      return { contents: prologue + source, loader };
    });
  },
};

async function buildBundle() {
  const esbuild = await import("esbuild");
  fs.mkdirSync(genDir, { recursive: true });
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
    logLevel: "error",
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

if (!bundleIsCurrent()) await buildBundle();
// main.ts runs on load: validates the configuration, builds the stacks and writes cdktf.out/.
runBundle();
