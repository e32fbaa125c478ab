// Generative: every field of every committed environment, and every variable the app reads, gets hostile values.
// Property: the configuration is accepted, or loadConfig throws ConfigValidationError whose problems each name an
// environment, a field path and a one-line rule; never another error, an internal message or an echo that breaks the
// one-line-per-problem output. A few accepted ones are synthesized, to show acceptance means the app builds.
// Replay a failure with HOSTILE_SEED=<printed seed> npx jest __tests__/config/hostile-config.test.ts
import { ConfigValidationError, loadConfig, validateEnvironments } from "../../config";
import { defaults } from "../../config/defaults";
import { environments } from "../../config/environments";
import { deepMerge } from "../../config/merge";
import { readSettings, settingVariables } from "../../config/settings";
import {
  CONTROL_CHARACTERS,
  type Hostile,
  hostileSeed,
  hostileValues,
  isObject,
  listVariants,
  nodes,
  overrideAt,
  type Path,
  randomFrom,
  randomStrings,
  sample,
  unknownKeys,
} from "../support/hostile-values";
import { synthAll } from "../support/stacks";

const seed = hostileSeed();
const random = randomFrom(seed);
console.info(`hostile-config seed ${seed} (replay: HOSTILE_SEED=${seed} npx jest __tests__/config/hostile-config.test.ts)`);

interface Case {
  what: string;
  overrides: Record<string, unknown>;
}

const pathText = (path: Path) => (path.length === 0 ? "(the environment)" : path.join("."));
const knownRoots = new Set(["(root)", "name", ...Object.keys(defaults), ...Object.values(settingVariables).map((v) => v.split("/")[0]!)]);
const envNames = new Set(["*", ...environments.map((e) => e.name)]);
const internalText =
  /\[object \w+\]|\bundefined\b|TypeError|RangeError|ReferenceError|Cannot read|is not a function|is not iterable|ZodError|_zod|\bstack\b.*\bat\b/;

/** "accepted", "refused" (with well-formed problems), or what is wrong with the outcome of one case. */
function outcome(load: () => unknown): string {
  try {
    load();
    return "accepted";
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) return `threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
    if (error.problems.length === 0) return "ConfigValidationError without problems";
    for (const { environment, field, message } of error.problems) {
      const shown = JSON.stringify({ environment, field, message }).slice(0, 300);
      // An override for an environment that does not exist is reported under the name it gave.
      if (!envNames.has(environment) && field !== settingVariables.overrides) return `problem names no environment: ${shown}`;
      // A key no schema declares is named by its own path; every other problem starts at a field the schema has.
      if (!knownRoots.has(field.split(/[./[]/)[0]!) && !message.startsWith("Unrecognized key")) return `problem names no field path: ${shown}`;
      if (typeof message !== "string" || message.trim() === "") return `problem without a message: ${shown}`;
      for (const text of [field, message]) {
        if (CONTROL_CHARACTERS.test(text)) return `control character in a problem (breaks one line per problem): ${shown}`;
        if (internalText.test(text)) return `internal text in a problem: ${shown}`;
        if (text.length > 400) return `problem text of ${text.length} characters: ${shown}`;
      }
    }
    return "refused";
  }
}

const holds = (result: string) => result === "accepted" || result === "refused";
const loadWith = (overrides: unknown) => () => loadConfig({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
/** loadConfig for one environment: the same reading of MLFLOW_CONFIG_OVERRIDES, a third of the work per case. */
const loadOne = (envName: string, overrides: unknown) => () => {
  const { settings, problems } = readSettings({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
  return validateEnvironments(
    environments.filter((e) => e.name === envName),
    settings,
    problems,
  );
};

function casesFor(envName: string): Case[] {
  const file = environments.find((e) => e.name === envName)!;
  const merged = deepMerge(defaults, file);
  const cases: Case[] = [];
  const add = (path: Path, hostile: Hostile) =>
    cases.push({ what: `${envName} ${pathText(path)} = ${hostile.label}`, overrides: { [envName]: overrideAt(merged, path, hostile.value) } });
  for (const { path, value } of nodes(merged)) {
    if (path[0] === "name") continue; // renaming is refused by its own rule (validation.test.ts)
    for (const hostile of [...hostileValues, ...randomStrings(random, 2)]) add(path, hostile);
    if (Array.isArray(value)) for (const hostile of listVariants(value)) add(path, hostile);
    if (isObject(value)) for (const key of unknownKeys) add([...path, key], { label: "an unknown key", value: "x" });
  }
  return cases;
}

/** Each environment's cases and their outcomes, run once and shared by the tests below. */
const runs = new Map<string, { cases: number; failures: string[]; accepted: Case[] }>();
function runCases(envName: string) {
  let run = runs.get(envName);
  if (!run) {
    run = { cases: 0, failures: [], accepted: [] };
    for (const c of casesFor(envName)) {
      run.cases++;
      const result = outcome(loadOne(envName, c.overrides));
      if (!holds(result)) run.failures.push(`${c.what}: ${result}`);
      else if (result === "accepted") run.accepted.push(c);
    }
    runs.set(envName, run);
  }
  return run;
}

describe(`hostile configuration (seed ${seed})`, () => {
  it.each(environments.map((e) => e.name))("every field of %s: accepted or refused with named problems", (envName) => {
    const { cases, failures } = runCases(envName);
    expect(cases).toBeGreaterThan(1000);
    expect({ failures: failures.slice(0, 25), failureCount: failures.length }).toEqual({ failures: [], failureCount: 0 });
  });

  it("numbers JSON cannot carry (NaN, Infinity, -0) are refused with named problems too", () => {
    const failures: string[] = [];
    const numberPaths = nodes(deepMerge(defaults, environments[0]!)).filter((n) => typeof n.value === "number");
    expect(numberPaths.length).toBeGreaterThan(10);
    for (const { path } of numberPaths) {
      for (const value of [NaN, Infinity, -Infinity, -0]) {
        const override = { [environments[0]!.name]: deepOverride(path, value) };
        const result = outcome(() => validateEnvironments(environments, { imageDigest: null, overrides: override }));
        if (!holds(result)) failures.push(`${pathText(path)} = ${value}: ${result}`);
      }
    }
    expect(failures.slice(0, 25)).toEqual([]);
  });

  it("every variable the app reads: accepted or refused with named problems", () => {
    const valid: Record<string, string> = {
      [settingVariables.stateResourceGroup]: "rg-tfstate",
      [settingVariables.stateStorageAccount]: "sttfstate01",
      [settingVariables.stateContainer]: "tfstate",
    };
    const failures: string[] = [];
    const texts = [...hostileValues, ...randomStrings(random, 20)].map((h) => ({
      label: h.label,
      value: typeof h.value === "string" ? h.value : JSON.stringify(h.value),
    }));
    for (const variable of Object.values(settingVariables)) {
      for (const { label, value } of [
        ...texts,
        { label: "a JSON list", value: "[]" },
        { label: "JSON null", value: "null" },
        { label: "a ranges list", value: "203.0.113.0/24,,x" },
      ]) {
        const env = { ...(variable.startsWith("TF_STATE_") ? valid : {}), [variable]: value };
        const result = outcome(() => loadConfig(env));
        if (!holds(result)) failures.push(`${variable} = ${label}: ${result}`);
      }
    }
    expect(failures.slice(0, 25)).toEqual([]);
  });

  it("a sample of the accepted hostile values synthesizes", () => {
    // Greedily combine accepted changes of different fields while the combination stays valid, then synthesize once.
    const combined: Record<string, unknown> = {};
    const accepted = environments.flatMap((e) => sample(runCases(e.name).accepted, 6, random));
    for (const c of accepted) {
      const candidate = deepMerge(combined, c.overrides) as Record<string, unknown>;
      if (outcome(loadWith(candidate)) === "accepted") Object.assign(combined, candidate);
    }
    expect(Object.keys(combined).length).toBeGreaterThan(1);
    const app = synthAll({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(combined) });
    for (const name of Object.keys(combined)) expect(Object.keys(app.json(`mlflow-${name}`).resource).length).toBeGreaterThan(0);
  });
});

function deepOverride(path: Path, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === "number" ? Object.assign([], { [key]: inner }) : { [key]: inner }), value);
}
