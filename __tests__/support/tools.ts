// Paths of the pinned tools that `npm run tools` installs into .tools/. A missing tool throws, so a test that needs
// it fails loudly with the fix instead of being skipped.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const TOOLS_BIN = join(REPO_ROOT, ".tools", "bin");

/** Absolute path of .tools/bin/<name>; throws "<name> is not installed: run npm run tools" when it is missing. */
export function toolPath(name: string): string {
  const path = join(TOOLS_BIN, name);
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed: run npm run tools (expected ${path})`);
  }
  return path;
}

/** A pinned version from scripts/versions.env, e.g. pinnedVersion("KUBERNETES_VERSION") === "1.34.0". */
export function pinnedVersion(key: string): string {
  const text = readFileSync(join(REPO_ROOT, "scripts", "versions.env"), "utf8");
  const match = new RegExp(`^${key}=(.+)$`, "m").exec(text);
  if (!match?.[1]) throw new Error(`${key} is not set in scripts/versions.env`);
  return match[1].trim();
}
