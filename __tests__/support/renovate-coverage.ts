// Which pinned versions of the repository Renovate (renovate.json) keeps current. The pins are found here, by their
// own patterns, independently of renovate.json; each is then matched against what the configured managers would
// read: a built-in manager by the files it reads, a regex manager by running its expressions as Renovate does.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A pinned version in a file. */
export interface Pin {
  file: string;
  line: number;
  text: string;
  /** How Renovate must cover it: a built-in manager that reads the file, or a regex manager that extracts this line. */
  needs: { manager: string } | { regexValue: string };
}

interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate?: string;
  depNameTemplate?: string;
}
export interface RenovateConfig {
  enabledManagers: string[];
  customManagers: CustomManager[];
  [manager: string]: unknown;
}

/** Where Renovate's built-in managers look by default (renovate 44, lib/modules/manager/<name>/index.ts). */
const defaultFilePatterns: Record<string, string[]> = {
  npm: ["/(^|/)package\\.json$/"],
  nvm: ["/(^|/)\\.nvmrc$/"],
  "github-actions": ["/(^|/)(workflow-templates|\\.(?:github|gitea|forgejo)/(?:workflows|actions))/.+\\.ya?ml$/", "/(^|/)action\\.ya?ml$/"],
  dockerfile: ["/(^|/|\\.)([Dd]ocker|[Cc]ontainer)file$/", "/(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$/"],
  "helm-values": ["/(^|/)values\\.ya?ml$/"],
  pip_requirements: ["/(^|/)[\\w-]*requirements([-._]\\w+)?\\.(txt|pip)$/"],
};

/** A managerFilePatterns entry: `/regex/` or a glob (only `**` and `*` are used here). */
function filePattern(pattern: string): RegExp {
  if (pattern.startsWith("/") && pattern.endsWith("/")) return new RegExp(pattern.slice(1, -1));
  const glob = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*\//g, "(.*/)?")
    .replace(/\*/g, "[^/]*");
  return new RegExp(`^${glob}$`);
}

/** Whether a built-in manager is enabled and reads `file`. */
export function builtInReads(config: RenovateConfig, manager: string, file: string): boolean {
  if (!config.enabledManagers.includes(manager)) return false;
  const own = (config[manager] as { managerFilePatterns?: string[] } | undefined)?.managerFilePatterns ?? [];
  return [...(defaultFilePatterns[manager] ?? []), ...own].some((p) => filePattern(p).test(file));
}

/** What the regex managers extract from `file`: line number → current value, with datasource and package name. */
export function regexExtract(config: RenovateConfig, file: string, text: string): Map<number, { value: string; datasource: string; depName: string }> {
  const found = new Map<number, { value: string; datasource: string; depName: string }>();
  if (!config.enabledManagers.includes("custom.regex")) return found;
  for (const manager of config.customManagers.filter((m) => m.customType === "regex")) {
    if (!manager.managerFilePatterns.some((p) => filePattern(p).test(file))) continue;
    for (const matchString of manager.matchStrings) {
      for (const match of text.matchAll(new RegExp(matchString, "g"))) {
        const groups = match.groups ?? {};
        const value = groups.currentValue;
        if (value === undefined) continue;
        // The line of the version itself, not of a comment the expression starts at.
        const at = (match.index ?? 0) + match[0].lastIndexOf(value);
        const line = text.slice(0, at).split("\n").length;
        found.set(line, { value, datasource: groups.datasource ?? manager.datasourceTemplate ?? "", depName: groups.depName ?? manager.depNameTemplate ?? "" });
      }
    }
  }
  return found;
}

/** The pins in one file, by what the file is. */
export function pinsIn(file: string, text: string): Pin[] {
  const pins: Pin[] = [];
  const lines = text.split("\n");
  const add = (i: number, needs: Pin["needs"]) => pins.push({ file, line: i + 1, text: lines[i]?.trim() ?? "", needs });
  const base = path.posix.basename(file);
  lines.forEach((line, i) => {
    let m: RegExpExecArray | null;
    if (base === "versions.env") {
      if ((m = /^[A-Z][A-Z0-9_]*=(\S+)$/.exec(line))) add(i, { regexValue: m[1] ?? "" });
    } else if (/(^|\/)Dockerfile$/.test(file)) {
      if (/^FROM\s/.test(line)) add(i, { manager: "dockerfile" });
      else if ((m = /^ARG ([A-Z][A-Z0-9_]*)=(\S*\d\S*)$/.exec(line))) {
        // An ARG that is a whole image reference used as `FROM ${ARG}` is the dockerfile manager's; others need a comment.
        const usedAsImage = new RegExp(`^FROM \\$\\{?${m[1]}\\}?(\\s|$)`, "m").test(text) && /^[^=\s]+:[^\s]+$/.test(m[2] ?? "");
        add(i, usedAsImage ? { manager: "dockerfile" } : { regexValue: m[2] ?? "" });
      }
    } else if (/^\.github\//.test(file) && /\.ya?ml$/.test(file)) {
      if (/^\s*(-\s+)?uses:\s+[^.\s][^@\s]*@\S+/.test(line)) add(i, { manager: "github-actions" });
      else if (/^\s*(container|image):\s+\S*\d/.test(line)) add(i, { manager: "github-actions" });
      else if ((m = /^\s*[A-Z][A-Z0-9_]*_VERSION:\s+"?([^"\s]*\d[^"\s]*)"?\s*$/.exec(line)) && !line.includes("${{")) add(i, { regexValue: m[1] ?? "" });
    } else if (/(^|\/)requirements[^/]*\.(txt|in)$/.test(file)) {
      if (/^[A-Za-z0-9][\w.-]*(\[[^\]]*\])?\s*==/.test(line)) add(i, { manager: "pip_requirements" });
    } else if (base === "Chart.yaml") {
      if ((m = /^appVersion:\s+"?([^"\s]+)"?/.exec(line))) add(i, { regexValue: m[1] ?? "" });
      if (/^\s+repository:\s+(?!"?file:\/\/)\S/.test(line)) add(i, { manager: "helmv3" });
    } else if (/^helm_charts\/[^/]+\/values\.ya?ml$/.test(file)) {
      if (/^\s+tag:\s+"?[^"\s]*\d/.test(line)) add(i, { manager: "helm-values" });
    } else if (base === "package.json") {
      if (i === 0) add(i, { manager: "npm" });
    } else if (base === ".nvmrc") {
      if (i === 0) add(i, { manager: "nvm" });
    } else if (file === "docker/tracking-server/VERSION") {
      if ((m = /^(\d+\.\d+\.\d+)-\d+$/.exec(line))) add(i, { regexValue: m[1] ?? "" });
    } else if (file === "config/defaults.ts") {
      if ((m = /image: \{[^}]*tag: "(\d+\.\d+\.\d+)-\d+"/.exec(line))) add(i, { regexValue: m[1] ?? "" });
    }
  });
  return pins;
}

/** The pins no manager covers, each as "file:line text (what is missing)". */
export function uncovered(config: RenovateConfig, file: string, text: string): string[] {
  const extracted = regexExtract(config, file, text);
  return pinsIn(file, text).flatMap((pin) => {
    if ("manager" in pin.needs) {
      return builtInReads(config, pin.needs.manager, file)
        ? []
        : [`${file}:${pin.line} ${pin.text} (Renovate's ${pin.needs.manager} manager does not read this file)`];
    }
    const got = extracted.get(pin.line);
    if (got && got.value === pin.needs.regexValue && got.datasource && got.depName) return [];
    return [
      `${file}:${pin.line} ${pin.text} (no regex manager extracts it: put '# renovate: datasource=<datasource> depName=<package>' on the line above, docs/updates.md)`,
    ];
  });
}

export const repoFiles = (root: string): string[] =>
  execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && fs.existsSync(path.join(root, f)));
