// The project's own lint rules (eslint.config.mjs), run through the real ESLint (its Node.js API, in one process) on
// source text linted as if it were a project file: each rule must reject what it is there for, and accept the
// allowed form, or `npm run lint` passing means nothing.
import { execFileSync } from "node:child_process";
import { repoRoot } from "../support/project";

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** ESLint's messages for each [file, source] pair, with the project's configuration. */
function lintAll(probes: Record<string, readonly [string, string]>): Record<string, LintMessage[]> {
  const script = `
    import { ESLint } from "eslint";
    const probes = JSON.parse(process.argv[1]);
    const eslint = new ESLint();
    const out = {};
    for (const [name, [filePath, source]] of Object.entries(probes)) {
      const [result] = await eslint.lintText(source, { filePath });
      out[name] = result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
    }
    process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(probes)], { cwd: repoRoot, encoding: "utf8" });
  return JSON.parse(stdout) as Record<string, LintMessage[]>;
}

// Kept out of this file's own text, so the rule does not fire on the test itself.
const barrel = ["@cdktf", "provider-azurerm"].join("/");
const barrelRule = expect.objectContaining({ message: expect.stringContaining("the barrel loads the whole provider") });

const probes = {
  importInStacks: ["stacks/probe.ts", `import { KubernetesCluster } from "${barrel}";\nexport { KubernetesCluster };\n`],
  requireInScripts: [
    "scripts/probe.mjs",
    `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nexport const a = require("${barrel}");\nexport const b = await import("${barrel}");\n`,
  ],
  deepImport: ["stacks/probe.ts", `import { KubernetesCluster } from "${barrel}/lib/kubernetes-cluster";\nexport { KubernetesCluster };\n`],
  envInStacks: ["stacks/probe.ts", "export const region = process.env.AZURE_REGION;\n"],
  envInConfig: ["config/probe.ts", "export const region = process.env.AZURE_REGION;\n"],
} as const;
let results: Partial<Record<keyof typeof probes, LintMessage[]>> = {};
beforeAll(() => {
  results = lintAll(probes);
});

describe("the provider-barrel rule", () => {
  it("rejects an import of a provider barrel in the stacks", () => {
    expect(results.importInStacks).toEqual([expect.objectContaining({ ruleId: "no-restricted-imports" })]);
    expect(results.importInStacks).toEqual([barrelRule]);
  });

  it("rejects require() and import() of a barrel in scripts", () => {
    expect(results.requireInScripts).toEqual([barrelRule, barrelRule]);
  });

  it("accepts a deep import", () => {
    expect(results.deepImport).toEqual([]);
  });
});

describe("the environment rule", () => {
  it("rejects process.env in a construct", () => {
    expect(results.envInStacks).toEqual([
      expect.objectContaining({ ruleId: "no-restricted-properties", message: expect.stringContaining("constructs take configuration from config/") }),
    ]);
  });

  it("allows it in config/", () => {
    expect(results.envInConfig).toEqual([]);
  });
});
