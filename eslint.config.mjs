// ESLint (flat config): typescript-eslint's recommended rules for the TypeScript, ESLint's for the JavaScript, and
// the project's own rules. Formatting is Prettier's job (`npm run format`), so eslint-config-prettier turns off
// every rule that would disagree with it. Why this pair rather than Biome: docs/lint.md.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

// A provider package's barrel loads the whole prebuilt provider (≈10x slower synth and tests, docs/performance.md):
// deep imports only, e.g. `@cdktf/provider-azurerm/lib/kubernetes-cluster`.
const providerBarrel = "^@cdk(tf|tn)/provider-[a-z0-9-]+$";
// The same pattern inside an AST selector, where a regular expression is written between slashes.
const providerBarrelLiteral = `/${providerBarrel.replace("/", "\\/")}/`;
const barrelMessage = "import the resource from its deep path (@cdktf/provider-<name>/lib/<resource>): the barrel loads the whole provider";

export default defineConfig([
  globalIgnores(["node_modules/", "cdktf.out/", "cdktf.out.*/", ".gen/", ".tools/", ".bench/", "bench/node_modules/", "coverage/", "generated/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: providerBarrel, message: barrelMessage }] }],
      "no-restricted-syntax": [
        "error",
        { selector: `CallExpression[callee.name="require"] > Literal[value=${providerBarrelLiteral}]`, message: barrelMessage },
        { selector: `ImportExpression > Literal[value=${providerBarrelLiteral}]`, message: barrelMessage },
      ],
      // Unused names are type errors already (tsconfig noUnusedLocals/noUnusedParameters); `_`-prefixed ones are deliberate.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Constructs never read the environment: main.ts and config/ turn it into validated configuration.
    files: ["stacks/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "constructs take configuration from config/ (main.ts reads the environment)" },
      ],
    },
  },
  {
    // CommonJS files (jest.config.js, the jest reporter).
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["__tests__/**/*.ts"],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    // Tests and tool scripts read JSON that other programs wrote (synthesized Terraform, checkov reports), which has
    // no TypeScript type to name.
    files: ["__tests__/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
]);
