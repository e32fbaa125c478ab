#!/usr/bin/env node
// Synthesizes every stack of every environment, like `node --import tsx main.ts`, but faster:
// main.ts and everything it loads (project TypeScript and node_modules JavaScript) is bundled by esbuild
// into one CommonJS file under the git-ignored .gen/synth/, rebuilt only when one of its input files changes.
// Why: most of a synth is spent finding, reading and compiling hundreds of modules; one pre-built file
// halves the wall time and memory (measured in docs/performance.md). Output is byte-for-byte the same.
//
//   node scripts/synth.mjs            (what `npm run synth` and cdktf.json's app run)
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const genDir = path.join(projectRoot, ".gen", "synth");
const bundleFile = path.join(genDir, "main.cjs");
const inputsFile = path.join(genDir, "inputs.json");
// Bump when the build options below change, so old bundles are rebuilt.
const BUILD_FORMAT = 1;
const TARGET = `node${process.versions.node.split(".")[0]}`;
// Extra inputs besides the bundled modules: this runner, and npm's record of what is installed.
const EXTRA_INPUTS = ["scripts/synth.mjs", "node_modules/.package-lock.json"];

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
  // Rename into place: a concurrent synth sees either the old or the new bundle, never half of one.
  fs.renameSync(tmpBundle, bundleFile);
  const tmpInputs = `${inputsFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmpInputs, JSON.stringify({ format: BUILD_FORMAT, target: TARGET, esbuild: esbuild.version, files }));
  fs.renameSync(tmpInputs, inputsFile);
}

if (!bundleIsCurrent()) await buildBundle();
// main.ts runs on load: validates the configuration, builds the stacks and writes cdktf.out/.
createRequire(import.meta.url)(bundleFile);
