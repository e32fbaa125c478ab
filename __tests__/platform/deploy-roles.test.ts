import * as fs from "node:fs";
import * as path from "node:path";
import { resourcesOf, synthAll } from "../support/stacks";

// The deploy identities may create role assignments only for the roles listed in docs/promotion.md (an Azure ABAC
// condition on "Role Based Access Control Administrator"). A role added to a construct but not to that list fails
// the first real deploy with AuthorizationFailed; this keeps the two in step.

/** Azure's fixed ids of the built-in roles the platform assigns. */
const BUILT_IN_ROLE_IDS: Record<string, string> = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
};

const app = synthAll();
const assigned = new Set(
  ["dev", "staging", "prod"].flatMap((env) => resourcesOf(app.json(`infra-${env}`), "azurerm_role_assignment").map((r) => String(r.role_definition_name))),
);

it("every role the platform assigns is a known built-in role, by name", () => {
  expect([...assigned].filter((name) => !(name in BUILT_IN_ROLE_IDS))).toEqual([]);
});

it("docs/promotion.md lets the deploy identities assign exactly those roles", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "promotion.md"), "utf8");
  const line = /^ALLOWED_ROLES="([^"]+)"$/m.exec(doc);
  expect(line).not.toBeNull();
  const allowed = line![1]!.split(",").map((id) => id.trim());
  expect(new Set(allowed).size).toBe(allowed.length);
  expect(allowed.sort()).toEqual([...assigned].map((name) => BUILT_IN_ROLE_IDS[name]).sort());
});
