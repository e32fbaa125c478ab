import { defaults } from "./defaults";
import { environments as committedEnvironments } from "./environments";
import { ConfigValidationError, type ConfigProblem } from "./errors";
import { deepMerge, type EnvironmentOverrides } from "./merge";
import { resourceNames, type ResourceNames } from "./naming";
import { crossEnvironmentProblems, environmentProblems } from "./rules";
import { environmentSchema, type EnvironmentConfig } from "./schema";
import { readSettings, type RuntimeSettings } from "./settings";

/** One environment after validation, with its derived Azure names. */
export interface Environment {
  config: EnvironmentConfig;
  names: ResourceNames;
}

export interface AppConfig {
  environments: Environment[];
  settings: RuntimeSettings;
}

/**
 * Merges, validates and returns every environment, or throws ConfigValidationError
 * naming every problem of every environment. Nothing is built before this returns.
 */
export function loadConfig(processEnv: NodeJS.ProcessEnv, envFiles: EnvironmentOverrides[] = committedEnvironments): AppConfig {
  const { settings, problems } = readSettings(processEnv);
  const environments = validateEnvironments(envFiles, settings, problems);
  return { environments, settings };
}

/** A value as a problem echoes it: scalars as JSON, lists and objects by kind (one nested 100 000 deep cannot be printed). */
function echo(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return value !== null && typeof value === "object" ? "an object" : (JSON.stringify(value) ?? String(value));
}

export function validateEnvironments(
  envFiles: EnvironmentOverrides[],
  settings: Pick<RuntimeSettings, "imageDigest" | "overrides"> & Partial<Pick<RuntimeSettings, "authorizedIpRanges">>,
  problems: ConfigProblem[] = [],
): Environment[] {
  const names = new Set(envFiles.map((e) => e.name));
  for (const unknown of Object.keys(settings.overrides).filter((n) => !names.has(n))) {
    problems.push({ environment: unknown, field: "MLFLOW_CONFIG_OVERRIDES", message: `no environment named "${unknown}" (known: ${[...names].join(", ")})` });
  }

  const valid: EnvironmentConfig[] = [];
  for (const file of envFiles) {
    const override = settings.overrides[file.name];
    if (typeof override === "object" && override !== null && "name" in override && override.name !== file.name) {
      problems.push({
        environment: file.name,
        field: "name",
        message: `an override cannot rename an environment (got ${echo(override.name)}): rename it in config/environments/ (docs/environments.md)`,
      });
      continue;
    }
    if (file.production === true && typeof override === "object" && override !== null && "production" in override && override.production !== true) {
      problems.push({
        environment: file.name,
        field: "production",
        message: "an override cannot lift the production policy of an environment committed as production",
      });
      continue;
    }
    if (override !== undefined && (typeof override !== "object" || override === null || Array.isArray(override))) {
      problems.push({
        environment: file.name,
        field: "MLFLOW_CONFIG_OVERRIDES",
        message: `the override of ${file.name} must be a JSON object of fields, e.g. {"${file.name}":{"kubernetes":{"userPool":{"maxCount":5}}}} (got ${echo(override)})`,
      });
      continue;
    }
    let merged: unknown;
    try {
      merged = deepMerge(deepMerge(defaults, file), settings.overrides[file.name]);
    } catch (error) {
      problems.push({ environment: file.name, field: "MLFLOW_CONFIG_OVERRIDES", message: (error as Error).message });
      continue;
    }
    if (settings.imageDigest) merged = deepMerge(merged, { mlflow: { image: { digest: settings.imageDigest } } });
    merged = withAuthorizedRanges(merged, settings.authorizedIpRanges ?? []);

    const parsed = environmentSchema.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(fieldKey);
        // One problem per unknown key: joined into one path, two keys would read as a nested field.
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys) {
            problems.push({ environment: file.name, field: [...path, fieldKey(key)].join("."), message: `Unrecognized key: ${JSON.stringify(key)}` });
          }
        } else {
          problems.push({ environment: file.name, field: path.join(".") || "(root)", message: issue.message });
        }
      }
      continue;
    }
    problems.push(...environmentProblems(parsed.data));
    valid.push(parsed.data);
  }
  problems.push(...crossEnvironmentProblems(valid));

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return valid.map((config) => ({ config, names: resourceNames(config) }));
}

/** Adds the ranges from the process environment to a public-mode environment's own (private mode has no public endpoint). */
function withAuthorizedRanges(merged: unknown, extra: string[]): unknown {
  const network = (merged as { network?: { access?: unknown; authorizedIpRanges?: unknown } }).network;
  if (extra.length === 0 || network?.access !== "public") return merged;
  const own = Array.isArray(network.authorizedIpRanges) ? network.authorizedIpRanges : [];
  return deepMerge(merged, { network: { authorizedIpRanges: [...own, ...extra] } });
}

/** A key as a segment of a field path: quoted when it is blank, padded or holds a dot, so the path stays readable. */
function fieldKey(key: PropertyKey): string {
  const text = String(key);
  return text.trim() === "" || text !== text.trim() || text.includes(".") ? JSON.stringify(text) : text;
}
