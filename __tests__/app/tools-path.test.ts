// `npm run tools` ends by printing the line that puts .tools/bin on PATH; `--path` prints only that line, so that
// `eval "$(npm run --silent tools -- --path)"` lets a shell run the tools by name, as the docs write them.
import { spawnSync } from "node:child_process";
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
