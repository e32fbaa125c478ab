// The project's own lint rules (eslint.config.mjs), run through the real ESLint on source text given on stdin:
// each must reject what it is there for, and accept the allowed form, or `npm run lint` passing means nothing.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../support/project";

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** ESLint's messages for `source` as if it were the project file `file`. */
function lint(file: string, source: string): Promise<LintMessage[]> {
  const eslint = path.join(repoRoot, "node_modules", "eslint", "bin", "eslint.js");
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [eslint, "--stdin", "--stdin-filename", file, "--format", "json"], { cwd: repoRoot }, (error, stdout, stderr) => {
      // Exit code 1 means "problems found"; anything else is ESLint failing.
      if (error && error.code !== 1) return reject(new Error(`eslint failed: ${stderr}`));
      const [result] = JSON.parse(stdout) as { messages: LintMessage[] }[];
      resolve(result?.messages ?? []);
    });
    child.stdin?.end(source);
  });
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
const results: Partial<Record<keyof typeof probes, LintMessage[]>> = {};
// The ESLint processes run at once.
beforeAll(() => Promise.all(Object.entries(probes).map(async ([name, [file, source]]) => (results[name as keyof typeof probes] = await lint(file, source)))));

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
