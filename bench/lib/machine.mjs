// What the benchmark ran on, for the report.
import * as fs from "node:fs";
import * as os from "node:os";

function osName() {
  try {
    return fs.readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`,
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGb: (os.totalmem() / 1024 ** 3).toFixed(1),
    os: `${osName()} (${os.release()})`,
    node: process.version,
  };
}

/** The 1-minute load average: other work on the machine slows every variant alike. */
export const loadAverage = () => os.loadavg()[0].toFixed(2);
