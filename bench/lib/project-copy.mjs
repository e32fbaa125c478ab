// Temporary copies of the project for the comparison variants, so no committed file is ever edited.
// A copy holds what a fresh clone holds (tracked files plus new, not ignored ones), is its own git
// repository (tests list files with git), and sees the project's node_modules through per-entry links,
// plus the comparison-only packages from bench/node_modules (ts-node, ts-jest), and the project's .tools/.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Files a fresh clone would have, relative to root, from the working tree (so uncommitted edits count). */
function cloneFiles(root) {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return listed.split("\0").filter((f) => f && fs.existsSync(path.join(root, f)));
}

/** node_modules of the copy: a link per installed package of the project, plus the bench-only packages. */
function linkNodeModules(root, copy, benchPackages) {
  const projectModules = path.join(root, "node_modules");
  const benchModules = path.join(root, "bench", "node_modules");
  const target = path.join(copy, "node_modules");
  fs.mkdirSync(path.join(target, ".bin"), { recursive: true });
  for (const entry of fs.readdirSync(projectModules)) {
    if (entry !== ".bin") fs.symlinkSync(path.join(projectModules, entry), path.join(target, entry));
  }
  for (const bin of fs.readdirSync(path.join(projectModules, ".bin"))) {
    fs.symlinkSync(path.join(projectModules, ".bin", bin), path.join(target, ".bin", bin));
  }
  for (const pkg of benchPackages) {
    const from = path.join(benchModules, pkg);
    if (!fs.existsSync(from)) throw new Error(`bench package ${pkg} is not installed (npm ci --prefix bench)`);
    fs.symlinkSync(from, path.join(target, pkg));
    const { bin = {} } = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8"));
    for (const [name, file] of Object.entries(typeof bin === "string" ? { [pkg]: bin } : bin)) {
      fs.rmSync(path.join(target, ".bin", name), { force: true });
      fs.symlinkSync(path.join(from, file), path.join(target, ".bin", name));
    }
  }
}

/**
 * A fresh copy of the project at <root>/.bench/copies/<name> (replacing an old one).
 * edit(copyDir) may change the copy before it is committed to its own git repository.
 */
export function makeProjectCopy(root, name, { benchPackages = [], edit = () => {} } = {}) {
  const copy = path.join(root, ".bench", "copies", name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const file of cloneFiles(root)) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(copy, file));
  }
  linkNodeModules(root, copy, benchPackages);
  // Tests that run pinned tools (helm, ...) find them where `npm run tools` installed them.
  if (fs.existsSync(path.join(root, ".tools"))) fs.symlinkSync(path.join(root, ".tools"), path.join(copy, ".tools"));
  edit(copy);
  const git = (...args) => execFileSync("git", args, { cwd: copy, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "benchmark copy");
  return copy;
}

/** Sets cdktf.json's app of a copy. */
export function setCdktfApp(copy, app) {
  const file = path.join(copy, "cdktf.json");
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  config.app = app;
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}
