#!/usr/bin/env node
// npm run bench [-- --quick]
// Measures, side by side in one run, this project's synth and unit tests against the stock CDKTF ways
// (cdktf synth + ts-node, with the same deep imports and with provider barrel imports; ts-jest with
// type checking), prints a table with ratios and the budget verdicts, writes the results into
// docs/performance.md (full runs only) and exits non-zero when a budget is missed. Method: docs/performance.md.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { rewriteTreeToBarrel } from "./lib/barrel-imports.mjs";
import { describeMachine, loadAverage } from "./lib/machine.mjs";
import { GNU_TIME, measureInterleaved } from "./lib/measure.mjs";
import { makeProjectCopy, setCdktfApp } from "./lib/project-copy.mjs";
import { budgetLines, resultsMarkdown, tableRows, textTable, writeResults } from "./lib/report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const unknown = process.argv.slice(2).filter((a) => a !== "--quick");
if (unknown.length) fail(`unknown argument(s): ${unknown.join(" ")} (usage: npm run bench [-- --quick])`);

// Repetitions: this project's variants (under 7 s) many times, the slow stock ones (5-90 s) fewer.
const REPS = quick ? { fast: 3, medium: 3, slow: 1 } : { fast: 7, medium: 5, slow: 3 };

// Same environment for every variant: no update checks or telemetry calls, no colours, CI-style output.
const ENV = {
  CI: "true",
  FORCE_COLOR: "0",
  CHECKPOINT_DISABLE: "1",
  CDKTF_DISABLE_TELEMETRY: "true",
  npm_config_update_notifier: "false",
  // npx must run the ts-node linked into the copy, never fetch one.
  npm_config_offline: "true",
};

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const log = (message) => process.stdout.write(`[bench] ${message}\n`);

/** GNU time (peak memory) and the bench-only packages, installed when missing. */
function prepareTools() {
  if (!fs.existsSync(path.join(root, "node_modules", ".bin", "cdktf"))) fail("node_modules is missing: run `npm ci` first");
  if (!fs.existsSync(GNU_TIME)) {
    log("installing GNU time (Debian package `time`) for peak memory");
    execFileSync("bash", ["-c", "source scripts/lib/tools.sh && apt_pkgs time"], { cwd: root, stdio: "inherit" });
  }
  const lock = fs.readFileSync(path.join(root, "bench", "package-lock.json"));
  const want = createHash("sha256").update(lock).digest("hex");
  const stamp = path.join(root, "bench", "node_modules", ".installed-lock.sha256");
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== want) {
    log("installing the comparison-only packages: npm ci --prefix bench");
    execFileSync("npm", ["ci", "--prefix", "bench", "--no-fund", "--no-audit"], { cwd: root, stdio: "inherit" });
    fs.writeFileSync(stamp, want);
  }
}

/** Every file below dir as relative path → contents. */
function readTree(dir, sub = "", files = new Map()) {
  for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = path.join(sub, entry.name);
    if (entry.isDirectory()) readTree(dir, rel, files);
    else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
  }
  return files;
}

/** Fails unless a variant synthesized exactly the bytes this project's synth wrote. */
function assertSameSynth(label, outDir, referenceDir) {
  const [a, b] = [readTree(referenceDir), readTree(outDir)];
  const differing = [...new Set([...a.keys(), ...b.keys()])].filter((f) => a.get(f) !== b.get(f));
  if (differing.length) fail(`${label} synthesized different output than ours: ${differing.join(", ")}`);
}

/** The project's own jest setup with ts-jest, type checking every file, in place of @swc/jest. */
function useTsJest(copy) {
  // The project's tsconfig sets isolatedModules, which makes ts-jest transpile only: type-check instead.
  fs.writeFileSync(path.join(copy, "tsconfig.typecheck.json"), '{ "extends": "./tsconfig.json", "compilerOptions": { "isolatedModules": false } }\n');
  fs.writeFileSync(
    path.join(copy, "jest.ts-jest.config.js"),
    [
      "// The project's jest setup with ts-jest (type checking every file) in place of @swc/jest.",
      'const base = require("./jest.config.js");',
      'const transform = { "^.+\\\\.ts$": ["ts-jest", { tsconfig: "tsconfig.typecheck.json", diagnostics: true }] };',
      "module.exports = { ...base, projects: base.projects.map((project) => ({ ...project, transform })) };",
      "",
    ].join("\n"),
  );
}

function useBarrelImports(copy) {
  if (rewriteTreeToBarrel(copy, path.join(root, "node_modules")) === 0) fail("found no deep provider import to rewrite");
}

function makeCopies() {
  log("making temporary project copies in .bench/copies/");
  const stockApp = (c) => setCdktfApp(c, "npx ts-node main.ts");
  return {
    cold: makeProjectCopy(root, "cold"),
    cli: makeProjectCopy(root, "cli", { edit: (c) => setCdktfApp(c, "node scripts/synth.mjs") }),
    stock: makeProjectCopy(root, "stock", { benchPackages: ["ts-node"], edit: stockApp }),
    stockBarrel: makeProjectCopy(root, "stock-barrel", { benchPackages: ["ts-node"], edit: (c) => (stockApp(c), useBarrelImports(c)) }),
    tsJest: makeProjectCopy(root, "ts-jest", { benchPackages: ["ts-jest"], edit: useTsJest }),
    tsJestBarrel: makeProjectCopy(root, "ts-jest-barrel", { benchPackages: ["ts-jest"], edit: (c) => (useTsJest(c), useBarrelImports(c)) }),
  };
}

function defineGroups(copies) {
  const synthScript = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts?.synth;
  if (!synthScript) fail("package.json has no synth script");
  const clean = (dir) => () => fs.rmSync(path.join(dir, "cdktf.out"), { recursive: true, force: true });
  const ours = { command: "sh", args: ["-c", synthScript], cwd: root };
  const cdktfSynth = (copy) => ({
    command: path.join(copy, "node_modules", ".bin", "cdktf"),
    args: ["synth"],
    cwd: copy,
    before: clean(copy),
    compareOutput: true,
  });
  // The unit suite: jest's "unit" project (the tool-running "integration" project costs the same under any transformer).
  const jest = (dir, ...args) => ({
    command: path.join(dir, "node_modules", ".bin", "jest"),
    args: ["--no-cache", "--selectProjects", "unit", ...args],
    cwd: dir,
  });
  const tsJestArgs = ["--config", "jest.ts-jest.config.js"];
  let coldEdits = 0;
  const synth = {
    title: "synth, every stack",
    variants: [
      { id: "synth-ours", label: "ours: npm run synth", baseline: true, ...ours, before: clean(root), reps: REPS.fast, warmups: 1, shown: synthScript },
      {
        id: "synth-ours-cold",
        label: "ours, after a source change",
        ...{ command: "sh", args: ["-c", synthScript], cwd: copies.cold },
        // After an edit (a new comment in main.ts): the bundle is rebuilt and tsc checks the types incrementally.
        before: () => (clean(copies.cold)(), fs.appendFileSync(path.join(copies.cold, "main.ts"), `// bench edit ${++coldEdits}\n`)),
        reps: REPS.medium,
        shown: `echo "// edit" >> main.ts; ${synthScript}`,
        compareOutput: true,
      },
      {
        id: "synth-cli-ours",
        label: "cdktf synth running our app",
        ...cdktfSynth(copies.cli),
        reps: REPS.medium,
        warmups: 1,
        shown: "cdktf synth",
        note: "cdktf.json app `node scripts/synth.mjs`",
      },
      {
        id: "synth-stock",
        label: "stock: cdktf synth + ts-node",
        ...cdktfSynth(copies.stock),
        reps: REPS.medium,
        shown: "cdktf synth",
        note: "cdktf.json app `npx ts-node main.ts`",
      },
      {
        id: "synth-stock-barrel",
        label: "stock + barrel imports",
        ...cdktfSynth(copies.stockBarrel),
        reps: REPS.slow,
        shown: "cdktf synth",
        note: "cdktf.json app `npx ts-node main.ts`, barrel imports",
      },
    ],
  };
  const unit = {
    title: "unit tests",
    variants: [
      {
        id: "unit-ours",
        label: "ours: jest + @swc/jest",
        baseline: true,
        ...jest(root),
        reps: REPS.fast,
        warmups: 1,
        shown: "jest --no-cache --selectProjects unit",
      },
      {
        id: "unit-ts-jest",
        label: "ts-jest, type-checked",
        ...jest(copies.tsJest, ...tsJestArgs),
        reps: REPS.slow,
        shown: "jest --no-cache --selectProjects unit --config jest.ts-jest.config.js",
      },
      {
        id: "unit-ts-jest-barrel",
        label: "ts-jest, type-checked, barrel imports",
        ...jest(copies.tsJestBarrel, ...tsJestArgs),
        reps: REPS.slow,
        shown: "jest --no-cache --selectProjects unit --config jest.ts-jest.config.js",
        note: "barrel imports",
      },
    ],
  };
  return [synth, unit];
}

function checkBudgets([synth, unit], machine) {
  const get = (group, id) => group.variants.find((v) => v.id === id).stats;
  const ours = get(synth, "synth-ours");
  const stock = get(synth, "synth-stock");
  const barrel = get(synth, "synth-stock-barrel");
  const unitOurs = get(unit, "unit-ours");
  const tsJestSame = get(unit, "unit-ts-jest");
  const tsJest = get(unit, "unit-ts-jest-barrel");
  const x = (v) => `${v.toFixed(1)}x`;
  return [
    { text: "synth ≥ 8x faster than stock, same code", required: "8.0x", value: stock.median / ours.median, min: 8 },
    { text: "synth ≥ 20x faster than stock with barrel imports", required: "20.0x", value: barrel.median / ours.median, min: 20 },
    { text: "synth ≥ 10x lighter than stock with barrel imports", required: "10.0x", value: barrel.peakMb / ours.peakMb, min: 10 },
    {
      text: "unit suite ≥ 8x faster than the stock test setup (ts-jest with type checking, barrel imports)",
      required: "8.0x",
      value: tsJest.median / unitOurs.median,
      min: 8,
    },
  ]
    .map((b) => ({ ...b, measured: x(b.value), met: b.value >= b.min }))
    .concat({
      text: "for comparison, not a budget: unit suite vs ts-jest with type checking on the same code",
      required: "—",
      measured: x(tsJestSame.median / unitOurs.median),
      met: true,
      informative: true,
    })
    .concat({
      text: `synth of every stack under 1.5 s (${machine.cores} cores here)`,
      required: "< 1.50 s",
      measured: `${ours.median.toFixed(2)} s`,
      met: ours.median < 1.5,
    });
}

/** The commit measured, and whether the working tree differs from it (the copies take the working tree). */
function describeTree() {
  const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  const changed = git("status", "--porcelain", "--untracked-files=no").split("\n").filter(Boolean).length;
  return `commit ${git("rev-parse", "--short", "HEAD")}${changed ? ` with ${changed} changed file(s) not yet committed` : ""}`;
}

function main() {
  const startedAt = new Date();
  const tree = describeTree();
  const loads = { start: loadAverage() };
  const machine = describeMachine();
  prepareTools();
  const copies = makeCopies();
  const groups = defineGroups(copies);
  const logDir = path.join(root, ".bench", "logs");
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  for (const group of groups) {
    const counts = group.variants.map((v) => `${v.id} ${v.reps}${v.warmups ? `+${v.warmups} warm-up` : ""}`).join(", ");
    log(`${group.title}: runs interleaved (${counts})`);
    for (const variant of group.variants) variant.env = ENV;
    measureInterleaved(group.variants, {
      logDir,
      onRun: (v, label, run) => log(`  ${v.id} ${label}: ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), ${run.peakMb.toFixed(0)} MB`),
    });
    for (const variant of group.variants.filter((v) => v.compareOutput)) {
      assertSameSynth(variant.label, path.join(variant.cwd, "cdktf.out"), path.join(root, "cdktf.out"));
    }
  }
  loads.end = loadAverage();
  const rows = tableRows(groups);
  const budgets = checkBudgets(groups, machine);
  process.stdout.write(`\n${textTable(rows)}\n\n${budgetLines(budgets).join("\n")}\n`);
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  if (quick) {
    log("quick run: docs/performance.md left unchanged (a full run writes it)");
  } else {
    const where = (v) => (v.cwd === root ? "the project" : `.bench/copies/${path.basename(v.cwd)}`);
    const commands = groups.flatMap((g) => g.variants.map((v) => ({ label: v.label, command: v.shown, where: where(v), note: v.note })));
    const markdown = resultsMarkdown({
      rows,
      budgets,
      machine,
      started: startedAt.toISOString().replace(/\.\d+Z$/, "Z"),
      seconds,
      repetitions: `Timed runs per variant in the "runs" column (ours: after one untimed warm-up run)`,
      commands,
      loads,
      tree,
    });
    writeResults(path.join(root, "docs", "performance.md"), markdown);
    log("results written to docs/performance.md");
  }
  const missed = budgets.filter((b) => !b.met);
  if (missed.length) {
    process.stderr.write(`bench: ${missed.length} budget(s) missed\n`);
    process.exit(1);
  }
  log(`all budgets met (${Math.round(seconds)} s)`);
}

try {
  main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
