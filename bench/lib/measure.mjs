// Runs a command repeatedly and records its wall time and peak memory.
// Wall time: measured here around the whole command. Peak memory: GNU time's maximum resident set size,
// which is that of the largest single process the command started (so for `cdktf synth`, the CLI and
// the app it spawns are not added up: the stock variants' numbers are, if anything, understated).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const GNU_TIME = "/usr/bin/time";

/** One run: { seconds, peakMb }; throws with the log's tail when the command fails. */
export function runOnce({ command, args, cwd, env, before, logFile }) {
  before?.();
  const rusageFile = `${logFile}.rusage`;
  const log = fs.openSync(logFile, "w");
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ["-f", "%M", "-o", rusageFile, command, ...args], {
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
  const peakKb = Number(fs.readFileSync(rusageFile, "utf8").trim().split("\n").pop());
  return { seconds, peakMb: peakKb / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a variant `repetitions` times (after `warmups` untimed runs); returns its statistics. */
export function measure(variant, { repetitions, warmups = 0, logDir, onRun = () => {} }) {
  const runs = [];
  for (let i = -warmups; i < repetitions; i++) {
    const logFile = path.join(logDir, `${variant.id}-${i < 0 ? `warmup${-i}` : i + 1}.log`);
    const run = runOnce({ ...variant, logFile });
    if (i >= 0) runs.push(run);
    onRun(variant, i, run);
  }
  const seconds = runs.map((r) => r.seconds);
  const peaks = runs.map((r) => r.peakMb);
  return {
    runs,
    median: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    peakMb: median(peaks),
    peakMaxMb: Math.max(...peaks),
  };
}
