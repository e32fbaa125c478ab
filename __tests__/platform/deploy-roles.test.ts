import { assignedRoles, BUILT_IN_ROLE_IDS, deployRolesBlock, deployRolesPart } from "../../scripts/docs/deploy-roles";
import { committedPart } from "../../scripts/docs/generated-blocks";
import { synthAll } from "../support/stacks";

// The deploy identities may create role assignments only for the roles in docs/promotion.md's ALLOWED_ROLES (an Azure
// ABAC condition). scripts/docs/deploy-roles.ts writes that list from the synthesized role assignments; a role a
// construct adds without a known id, or a list not regenerated, fails here rather than the first real deploy.

const app = synthAll();
const roles = assignedRoles(["dev", "staging", "prod"].map((env) => app.json(`infra-${env}`)));

it("every role the platform assigns is a known built-in role, by name", () => {
  expect(roles.length).toBeGreaterThan(0);
  expect(roles.filter((name) => !(name in BUILT_IN_ROLE_IDS))).toEqual([]);
});

it("writes ALLOWED_ROLES as the ids of exactly those roles, and refuses a role without a known id", () => {
  const ids = /ALLOWED_ROLES="([^"]+)"/.exec(deployRolesBlock(roles))![1]!.split(", ");
  expect(ids.sort()).toEqual(roles.map((name) => BUILT_IN_ROLE_IDS[name]).sort());
  expect(() => deployRolesBlock([...roles, "Owner"])).toThrow("no built-in role id for Owner");
});

it("docs/promotion.md holds the list as generated (npm run docs:generate)", () => {
  expect(committedPart(deployRolesPart)).toBe(deployRolesBlock(roles));
});
