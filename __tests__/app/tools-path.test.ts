// `npm run tools` ends by printing the line that puts .tools/bin on PATH; `--path` prints only that line, so that
// `eval "$(npm run --silent tools -- --path)"` lets a shell run the tools by name, as the docs write them. Two installs
// at once wait for each other.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/project";
import { toolPath } from "../support/tools";

test("the printed PATH line makes the pinned tools callable by name", () => {
  const helm = toolPath("helm");
  const script = 'line="$(bash scripts/install-tools.sh --path)" && echo "${line}" && eval "${line}" && command -v helm';
  const result = spawnSync("bash", ["-c", script], { cwd: repoRoot, encoding: "utf8", env: { PATH: "/usr/bin:/bin", HOME: process.env.HOME } });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const [line, found] = result.stdout.trimEnd().split("\n");
  expect(line).toBe(`export PATH=${path.join(repoRoot, ".tools", "bin")}:"$PATH"`);
  expect(found).toBe(helm);
});

test("two installs at once take turns: the second starts when the first has finished", async () => {
  // A copy of the installer with one probe group that takes a while; without the lock their lines interleave.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-tools-"));
  try {
    for (const file of ["scripts/install-tools.sh", "scripts/lib/tools.sh", "scripts/versions.env"]) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(dir, file));
    }
    fs.mkdirSync(path.join(dir, "scripts/install"));
    const probe = 'source "$(dirname "$0")/../lib/tools.sh"\necho "start $$" >>"${TOOLS_DIR}/log"; sleep 0.5; echo "end $$" >>"${TOOLS_DIR}/log"\n';
    fs.writeFileSync(path.join(dir, "scripts/install/probe.sh"), probe);
    const install = () =>
      new Promise<number | null>((resolve) => spawn("bash", ["scripts/install-tools.sh", "probe"], { cwd: dir, stdio: "ignore" }).on("exit", resolve));
    expect(await Promise.all([install(), install()])).toEqual([0, 0]);
    const log = fs.readFileSync(path.join(dir, ".tools/log"), "utf8").trimEnd().split("\n");
    const pids = log.map((line) => line.split(" ")[1]);
    expect(log.map((line) => line.split(" ")[0])).toEqual(["start", "end", "start", "end"]);
    expect([pids[0] === pids[1], pids[2] === pids[3], pids[0] !== pids[2]]).toEqual([true, true, true]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
