// Writes the generated parts of the docs from their sources (npm run docs:generate); with --check, changes nothing
// and fails when a part is out of date. The tests check the same parts (see each generator).
//
//   node --import tsx scripts/docs/generate.ts [--check]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../config";
import { parseAccepted } from "../checkov-verdict";
import { acceptedChecksPart, acceptedChecksSection } from "./accepted-checks";
import { costEstimatePart, costTable } from "./cost-estimate";
import { assignedRoles, deployRolesBlock, deployRolesPart } from "./deploy-roles";
import { committedPart, projectRoot, writePart, type GeneratedPart } from "./generated-blocks";

const read = (...parts: string[]) => fs.readFileSync(path.join(projectRoot, ...parts), "utf8");
function infraStacks() {
  // The role assignments are read from a synth of the committed configuration, as `npm run synth` writes it.
  execFileSync(process.execPath, [path.join(projectRoot, "scripts", "synth.mjs")], { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] });
  return environments.map((env) => JSON.parse(read("cdktf.out", "stacks", `infra-${env}`, "cdk.tf.json")));
}

const check = process.argv.includes("--check");
const environments = loadConfig({}).environments.map((e) => e.config.name);
const parts: [GeneratedPart, string][] = [
  [costEstimatePart, costTable()],
  [acceptedChecksPart, acceptedChecksSection(parseAccepted(read("security", "checkov-accepted.yaml")), environments)],
  [deployRolesPart, deployRolesBlock(assignedRoles(infraStacks()))],
];
for (const [part, content] of parts) {
  if (!check && writePart(part, content)) console.log(`docs: wrote ${part.file} part "${part.name}"`);
  if (check && committedPart(part) !== content.trim()) {
    console.error(`docs: ${part.file} part "${part.name}" is out of date: run npm run docs:generate`);
    process.exitCode = 1;
  }
}
