// Runs a command repeatedly and records its wall time, CPU time and peak memory.
// Wall time: measured here around the whole command. CPU time: user + system time of the command and
// every process it waited for (GNU time), which other load on the machine changes little.
// Peak memory: GNU time's maximum resident set size, which is that of the largest single process the
// command started (for `cdktf synth`, the CLI and the app it spawns are not added up: the stock
// variants' numbers are, if anything, understated).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const GNU_TIME = "/usr/bin/time";

/** One run: { seconds, cpuSeconds, peakMb }; throws with the log's tail when the command fails. */
export function runOnce({ command, args, cwd, env, before, logFile }) {
  before?.();
  const rusageFile = `${logFile}.rusage`;
  const log = fs.openSync(logFile, "w");
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ["-f", "%M %U %S", "-o", rusageFile, command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.closeSync(log);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}; log ${logFile}:\n${tail}`);
  }
  const [peakKb, user, system] = fs.readFileSync(rusageFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
  return { seconds, cpuSeconds: user + system, peakMb: peakKb / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function summarize(runs) {
  const seconds = runs.map((r) => r.seconds);
  const peaks = runs.map((r) => r.peakMb);
  const cpu = median(runs.map((r) => r.cpuSeconds));
  return { runs, median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), cpuSeconds: cpu, peakMb: median(peaks) };
}

/**
 * Runs each variant `reps` times (after its `warmups` untimed runs), round-robin across the variants,
 * so a change in the machine's load during the benchmark falls on every variant alike.
 * Sets variant.stats; calls onRun(variant, label, run) after each run.
 */
export function measureInterleaved(variants, { logDir, onRun = () => {} }) {
  const runs = new Map(variants.map((v) => [v, []]));
  const runAndLog = (variant, label) => {
    const run = runOnce({ ...variant, logFile: path.join(logDir, `${variant.id}-${label}.log`) });
    onRun(variant, label, run);
    return run;
  };
  for (const variant of variants) {
    for (let w = 1; w <= (variant.warmups ?? 0); w++) runAndLog(variant, `warmup${w}`);
  }
  const rounds = Math.max(...variants.map((v) => v.reps));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants.filter((v) => v.reps >= round)) runs.get(variant).push(runAndLog(variant, `run${round}`));
  }
  for (const variant of variants) variant.stats = summarize(runs.get(variant));
}
