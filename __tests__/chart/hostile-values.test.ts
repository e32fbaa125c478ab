// Generative: leaves, lists and objects of the chart's values (values.yaml, the MySQL subchart's block included), on
// a valid scenario of ci/, get hostile values through the real `helm template -f`. Property: helm renders manifests
// that kubeconform validates strictly, or refuses with a schema error naming a path or one of the chart's own `fail`
// messages; never a template panic (nil pointer, wrong type, error calling) or rendered YAML that does not parse.
// A deterministic sample of the cases runs (seeded; replay with HOSTILE_SEED=<printed seed>).
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import {
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
  yamlNonStrings,
} from "../support/hostile-values";
import { REPO_ROOT, pinnedVersion, toolPath } from "../support/tools";
import { CHART_DIR, RENDER_CHART, REQUIRED_VALUES } from "./helm";

const seed = hostileSeed();
const random = randomFrom(seed);
console.info(`hostile-values seed ${seed} (replay: HOSTILE_SEED=${seed} npx jest __tests__/chart/hostile-values.test.ts)`);

/** How many cases run: each is one helm process (about 0.2 s), so the file stays well under a minute on 2 cores. */
const CASES = 160;
const PARALLEL = 2;

const readYaml = (file: string) => parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Every node below the root of a tree of values. */
const valueNodes = (value: unknown) => nodes(value).filter((n) => n.path.length > 0);

/** The scenarios of ci/ (layered on required-values.yaml), and the one a top-level key needs to matter at all. */
const ciDir = path.join(CHART_DIR, "ci");
const scenarios = fs
  .readdirSync(ciDir)
  .filter((f) => f.endsWith("-values.yaml") && f !== path.basename(REQUIRED_VALUES))
  .sort();
const scenarioFor: Record<string, string> = { frontDoor: "front-door-values.yaml", externalDatabase: "external-database-values.yaml" };

interface Case {
  what: string;
  scenario: string | null;
  values: unknown;
}

const defaults = merge(readYaml(path.join(CHART_DIR, "values.yaml")), { mysql: readYaml(path.join(REPO_ROOT, "helm_charts/mysql/values.yaml")) });
const valid = merge(defaults, readYaml(REQUIRED_VALUES));

function allCases(): Case[] {
  const cases: Case[] = [];
  for (const { path: at, value } of valueNodes(valid)) {
    const top = String(at[0]);
    const scenario = scenarioFor[top] ?? (random() < 0.5 ? null : scenarios[Math.floor(random() * scenarios.length)]!);
    const base = scenario ? merge(valid, readYaml(path.join(ciDir, scenario))) : valid;
    const current = at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], base) ?? value;
    const add = (where: Path, hostile: Hostile) =>
      cases.push({
        what: `${where.join(".")} = ${hostile.label}${scenario ? ` (${scenario})` : ""}`,
        scenario,
        values: overrideAt(base, where, hostile.value),
      });
    for (const hostile of [...hostileValues, ...randomStrings(random, 2)]) add(at, hostile);
    if (Array.isArray(current)) for (const hostile of listVariants(current)) add(at, hostile);
    if (isObject(current)) for (const key of unknownKeys) add([...at, key], { label: "an unknown key", value: "x" });
  }
  return cases;
}

/**
 * Values set to null, which `helm -f` reads as "remove this key": the templates must not rely on a removed key. Every
 * block, and a seeded sample of the other values (all of them would take about 40 s).
 */
function removedValues(): Case[] {
  const all = valueNodes(valid);
  const picked = [
    ...all.filter((n) => isObject(n.value)),
    ...sample(
      all.filter((n) => !isObject(n.value)),
      40,
      random,
    ),
  ];
  return picked.map((n) => {
    const scenario = scenarioFor[String(n.path[0])] ?? null;
    return { what: `${n.path.join(".")} = null (removed)${scenario ? ` (${scenario})` : ""}`, scenario, values: overrideAt(valid, n.path, null) };
  });
}

/** Text values (a seeded sample) set to a word YAML 1.1 reads as another type: what renders must stay a string. */
function yamlWordsInText(): Case[] {
  const texts = valueNodes(valid).filter((n) => typeof n.value === "string");
  return sample(texts, 70, random).map((n) => {
    const word = yamlNonStrings[Math.floor(random() * yamlNonStrings.length)]!;
    const scenario = scenarioFor[String(n.path[0])] ?? null;
    return { what: `${n.path.join(".")} = ${word}${scenario ? ` (${scenario})` : ""}`, scenario, values: overrideAt(valid, n.path, word) };
  });
}

interface Outcome {
  c: Case;
  status: number | null;
  stdout: string;
  stderr: string;
}

function render(c: Case, file: string): Promise<Outcome> {
  fs.writeFileSync(file, JSON.stringify(c.values));
  const args = ["template", "mlflow", RENDER_CHART, "-n", "mlflow", "--kube-version", pinnedVersion("KUBERNETES_VERSION"), "-f", REQUIRED_VALUES];
  if (c.scenario) args.push("-f", path.join(ciDir, c.scenario));
  args.push("-f", file);
  return new Promise((resolve) => {
    execFile(toolPath("helm"), args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ c, status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Messages of a template that broke on a value rather than refusing it. */
const PANIC =
  /nil pointer evaluating|error calling|wrong type for value|can't evaluate field|invalid value; expected|YAML parse error|error converting YAML|cannot unmarshal|incompatible types|index out of range|<no value>|%!/;
const SCHEMA_ERROR = /^Error: values don't meet the specifications of the schema\(s\) in the following chart\(s\):\n/;
const CHART_FAIL = /^Error: execution error at \(mlflow_setup\/templates\/[^)]+\): \S.*/;

/** What is wrong with a refusal, or null when it is a schema error naming paths or one of the chart's `fail` messages. */
function refusalProblem(stderr: string): string | null {
  // Helm's own warnings (a scalar replacing a table, a non-boolean condition) come before the refusal, the verdict.
  const text = stderr
    .replace(/\nUse --debug flag to render out invalid YAML\n?$/, "")
    .split("\n")
    .filter((l) => !/^\w+\.go:\d+: [Ww]arning: /.test(l))
    .join("\n")
    .trim();
  // Helm itself refuses a scalar where a subchart's table is (it reads mysql.enabled, the dependency's condition,
  // before the schema); its message names the key, with a Go formatting slip (%!t) that is helm's, not the chart's.
  if (/^Error: type mismatch on mysql: %!t\(\w+=[^\n]*\)$/.test(text)) return null;
  if (PANIC.test(text)) return `template panic: ${text.slice(0, 400)}`;
  if (SCHEMA_ERROR.test(text)) {
    const lines = text.split("\n").slice(1);
    const bad = lines.filter((l) => !/^[\w-]+:$/.test(l) && !/^\s*- at '(\/[^']*)?': \S/.test(l));
    return bad.length === 0 && lines.some((l) => l.startsWith("- at ")) ? null : `schema error without a path: ${text.slice(0, 400)}`;
  }
  if (CHART_FAIL.test(text)) return null;
  return `neither a schema error nor a chart message: ${text.slice(0, 400)}`;
}

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-hostile-values-"));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Renders every case (PARALLEL helm processes at a time), then validates what rendered with one kubeconform run. */
async function violations(cases: Case[], name: string): Promise<{ failures: string[]; refused: number }> {
  const outcomes: Outcome[] = [];
  for (let next = 0; next < cases.length;) {
    const batch = cases.slice(next, next + PARALLEL);
    outcomes.push(...(await Promise.all(batch.map((c, i) => render(c, path.join(scratch, `${name}-${next + i}.json`))))));
    next += batch.length;
  }

  const failures: string[] = [];
  const rendered: { c: Case; file: string }[] = [];
  outcomes.forEach(({ c, status, stdout, stderr }, i) => {
    if (status === 0) {
      const broken = parseAllDocuments(stdout).find((d) => d.errors.length > 0);
      if (broken) failures.push(`${c.what}: rendered YAML does not parse: ${broken.errors[0]!.message}`);
      else if (PANIC.test(stdout)) failures.push(`${c.what}: rendered output holds ${PANIC.exec(stdout)![0]}`);
      const file = path.join(scratch, `${name}-rendered-${i}.yaml`);
      fs.writeFileSync(file, stdout);
      rendered.push({ c, file });
    } else {
      const problem = refusalProblem(stderr);
      if (problem) failures.push(`${c.what}: ${problem}`);
    }
  });

  // One kubeconform run for every rendered case: it compiles the schemas once (scripts/kube-validate.sh).
  if (rendered.length > 0) {
    const validation = spawnSync("bash", [path.join(REPO_ROOT, "scripts/kube-validate.sh"), ...rendered.map((r) => r.file)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const before = failures.length;
    for (const line of validation.stdout.split("\n").filter((l) => / - .* (is invalid|failed validation)|: error/.test(l))) {
      const owner = rendered.find((r) => line.startsWith(`${r.file} `));
      failures.push(
        `${owner?.c.what ?? "?"}: kubeconform: ${line
          .replace(/^\S+ - /, "")
          .replace(/problem validating schema.*?#' - /, "")
          .slice(0, 300)}`,
      );
    }
    if (validation.status !== 0 && failures.length === before)
      failures.push(`kubeconform exited ${validation.status}: ${validation.stdout.slice(-500)}${validation.stderr}`);
  }
  return { failures, refused: outcomes.filter((o) => o.status !== 0).length };
}

test(`hostile values (seed ${seed}): helm renders valid manifests or refuses with a path or the chart's message`, async () => {
  const everything = allCases();
  expect(everything.length).toBeGreaterThan(CASES * 10);
  const { failures, refused } = await violations(sample(everything, CASES, random), "sample");
  expect({ failures: failures.slice(0, 30), count: failures.length }).toEqual({ failures: [], count: 0 });
  // Both outcomes happen, so the property is checked on both sides.
  expect(refused).toBeGreaterThan(CASES / 4);
  expect(refused).toBeLessThan(CASES);
});

test(`every block and a sample of values removed (seed ${seed}): refused with a path, or rendered valid`, async () => {
  const cases = removedValues();
  expect(cases.length).toBeGreaterThan(30);
  const { failures } = await violations(cases, "removed");
  expect({ failures: failures.slice(0, 30), count: failures.length }).toEqual({ failures: [], count: 0 });
});

test(`text values as a YAML 1.1 boolean, null or number word (seed ${seed}): refused, or rendered as text`, async () => {
  const cases = yamlWordsInText();
  expect(cases.length).toBeGreaterThan(50);
  const { failures } = await violations(cases, "yaml-words");
  expect({ failures: failures.slice(0, 30), count: failures.length }).toEqual({ failures: [], count: 0 });
});
