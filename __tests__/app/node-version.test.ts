// One Node.js version source: .nvmrc names the version CI sets up and the toolbox image is built on; package.json's
// engines admit it and both maintained LTS lines (22, 24), which the unit-suite matrix runs on.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../support/project";

const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), "utf8");
const nvmrc = read(".nvmrc").trim();
const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;

/** Whether `version` ("24", "24.21.0") satisfies an engines range made of `^X.Y.Z` alternatives. */
function admitted(version: string): boolean {
  const [major = 0, minor = Infinity, patch = Infinity] = version.split(".").map(Number);
  return engines.split("||").some((alternative) => {
    const match = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(alternative);
    if (!match) throw new Error(`engines.node alternative "${alternative}" is not of the form ^X.Y.Z`);
    const [want, wantMinor, wantPatch] = match.slice(1).map(Number) as [number, number, number];
    return major === want && (minor > wantMinor || (minor === wantMinor && patch >= wantPatch));
  });
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
/** Every setup-node step in the workflows and local actions, with where it is. */
function setupNodeSteps(): { where: string; step: Step; matrix?: Record<string, unknown> }[] {
  const found: { where: string; step: Step; matrix?: Record<string, unknown> }[] = [];
  const workflows = fs.readdirSync(path.join(repoRoot, ".github", "workflows")).map((f) => `.github/workflows/${f}`);
  const actions = fs.readdirSync(path.join(repoRoot, ".github", "actions")).map((d) => `.github/actions/${d}/action.yml`);
  for (const file of [...workflows, ...actions]) {
    const doc = parse(read(file)) as { jobs?: Record<string, { steps?: Step[]; strategy?: { matrix?: Record<string, unknown> } }>; runs?: { steps?: Step[] } };
    const jobs = doc.jobs ? Object.entries(doc.jobs) : [["(composite)", { steps: doc.runs?.steps ?? [] }] as const];
    for (const [job, body] of jobs) {
      for (const step of body.steps ?? []) {
        if (step.uses?.startsWith("actions/setup-node@"))
          found.push({ where: `${file} ${job}`, step, matrix: "strategy" in body ? body.strategy?.matrix : undefined });
      }
    }
  }
  return found;
}

describe("the Node.js version", () => {
  it(".nvmrc names an exact release of a maintained LTS line that engines admit", () => {
    expect(nvmrc).toMatch(/^(22|24)\.\d+\.\d+$/);
    expect(admitted(nvmrc)).toBe(true);
  });

  it("engines admit both maintained LTS lines and this machine's Node.js", () => {
    expect(admitted("22")).toBe(true);
    expect(admitted("24")).toBe(true);
    expect(admitted(process.versions.node)).toBe(true);
    expect(admitted("18.20.0")).toBe(false);
  });

  it("every workflow sets up Node.js from .nvmrc, except the unit matrix over 22 and 24", () => {
    const steps = setupNodeSteps();
    expect(steps.length).toBeGreaterThanOrEqual(3);
    const fromFile = steps.filter(({ step }) => step.with?.["node-version-file"] === ".nvmrc" && step.with?.["node-version"] === undefined);
    const fromMatrix = steps.filter(({ step }) => step.with?.["node-version"] === "${{ matrix.node }}");
    expect([...fromFile, ...fromMatrix].map((s) => s.where).sort()).toEqual(steps.map((s) => s.where).sort());
    expect(fromMatrix.map((s) => s.matrix?.node)).toEqual([["22", "24"]]);
  });

  it("the toolbox image is built on the .nvmrc version", () => {
    const dockerfile = read("docker/toolbox/Dockerfile");
    expect(/^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(nvmrc);
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-/m);
    expect(dockerfile).not.toMatch(/^FROM node:\d/m);
  });
});
