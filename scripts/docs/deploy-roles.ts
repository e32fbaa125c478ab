// The roles the deploy identities may assign (docs/promotion.md, step 2): an Azure ABAC condition on "Role Based
// Access Control Administrator" lists their ids. A role the stacks assign but the condition lacks fails the first real
// deploy with AuthorizationFailed, so the list is written from the synthesized role assignments of infra-<env>.
import { wrapText, type GeneratedPart } from "./generated-blocks";

export const deployRolesPart: GeneratedPart = { file: "docs/promotion.md", name: "deploy-roles" };

/** Azure's fixed ids of the built-in roles the platform assigns. */
export const BUILT_IN_ROLE_IDS: Record<string, string> = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
};

/** The role_definition_name of every role assignment in the given synthesized infra stacks, once each, sorted. */
export function assignedRoles(infraStacks: { resource?: Record<string, Record<string, { role_definition_name?: unknown }>> }[]): string[] {
  const names = infraStacks.flatMap((json) => Object.values(json.resource?.azurerm_role_assignment ?? {}).map((r) => String(r.role_definition_name)));
  return [...new Set(names)].sort();
}

/** The shell block of docs/promotion.md's generated part: ALLOWED_ROLES with the id of each assigned role. */
export function deployRolesBlock(roles: string[]): string {
  const unknown = roles.filter((name) => !(name in BUILT_IN_ROLE_IDS));
  if (unknown.length) throw new Error(`scripts/docs/deploy-roles.ts has no built-in role id for ${unknown.join(", ")}`);
  const comment = `Role assignments a deploy identity may create: exactly the roles infra-<env> assigns (${roles.join(", ")}).`;
  return [
    "```bash",
    ...wrapText(comment, 110).map((line) => `# ${line}`),
    `ALLOWED_ROLES="${roles.map((name) => BUILT_IN_ROLE_IDS[name]).join(", ")}"`,
    "```",
  ].join("\n");
}
