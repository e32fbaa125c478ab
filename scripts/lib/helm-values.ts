// Helm values as JSON, shared by values.ts, render-environment.ts and the live-API tests.
import * as fs from "node:fs";
import * as path from "node:path";

export const projectRoot = path.resolve(__dirname, "..", "..");
export type Json = Record<string, any>;
export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON file's content (after a # comment line), undefined if missing; errors start with `name`, never quote the text. */
export function readJson(file: string, name: string, notJson: string, noLinks = false): unknown {
  const stat = (noLinks ? fs.lstatSync : fs.statSync)(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw new Error(`${name} must be a regular file${noLinks ? ", not a directory or symbolic link" : ""}`);
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text.replace(/^#.*\n/, ""));
  } catch {
    throw new Error(`${name} ${notJson}${text.trim() === "" ? " (it is empty)" : ""}`);
  }
}

/** Sets a helm --set style dotted name ("mysql.auth.password") in a nested object. */
export function setDotted(target: Json, dotted: string, value: string): void {
  const keys = dotted.split(".");
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) node = node[key] ??= {};
  node[last] = value;
}

/** One values document of a release's values and its secrets (nested the same way), as helm merges two --values. */
export function withSecrets(values: Json, secrets: Json): Json {
  const merge = (into: Json, from: Json): Json => {
    for (const [key, value] of Object.entries(from)) into[key] = isObject(value) && isObject(into[key]) ? merge(into[key], value) : value;
    return into;
  };
  return merge(structuredClone(values), secrets);
}
