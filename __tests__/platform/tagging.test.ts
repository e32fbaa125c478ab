import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Password } from "@cdktf/provider-random/lib/password";
import { Testing } from "cdktf";
import { TagAspect } from "../../stacks/constructs/tagging";
import { synthAll, type TerraformJson } from "../support/stacks";

// Tags: the aspect on its own (every taggable azurerm resource in its scope), then the synthesized stacks it is
// applied to (network-<env> and infra-<env> apply it to the whole stack).

describe("TagAspect", () => {
  const synthesized: TerraformJson = JSON.parse(
    Testing.synthScope((scope) => {
      TagAspect.applyTo(scope, { project: "mlflow-aks", environment: "dev" });
      new ResourceGroup(scope, "plain", { name: "rg-plain", location: "westeurope" });
      new ResourceGroup(scope, "own", { name: "rg-own", location: "westeurope", tags: { environment: "sandbox", owner: "ops" } });
      new RoleAssignment(scope, "untaggable", { scope: "/subscriptions/x", roleDefinitionName: "Reader", principalId: "p" });
      new Password(scope, "not-azurerm", { length: 20 });
    }),
  );
  const [plain, own] = ["plain", "own"].map((id) => synthesized.resource.azurerm_resource_group![id]!);

  it("gives every taggable azurerm resource the tags", () => {
    expect(plain!.tags).toEqual({ project: "mlflow-aks", environment: "dev" });
  });

  it("lets tags a resource sets itself win", () => {
    expect(own!.tags).toEqual({ project: "mlflow-aks", environment: "sandbox", owner: "ops" });
  });

  it("leaves resources without tags, and other providers' resources, alone", () => {
    expect(synthesized.resource.azurerm_role_assignment!.untaggable!.tags).toBeUndefined();
    expect(synthesized.resource.random_password!["not-azurerm"]!.tags).toBeUndefined();
  });
});

const app = synthAll();

describe.each(["dev", "staging", "prod"].flatMap((env) => [`network-${env}`, `infra-${env}`].map((stack) => [stack, env] as const)))(
  "tags in %s",
  (stack, env) => {
    const json = app.json(stack);
    const tagged = Object.entries(json.resource).flatMap(([type, byId]) =>
      Object.entries(byId)
        .filter(([, resource]) => "tags" in resource)
        .map(([id, resource]) => [type, id, resource.tags] as const),
    );

    it("tags the stack's main resources", () => {
      const types = new Set(tagged.map(([type]) => type));
      const main = stack.startsWith("network-")
        ? ["azurerm_virtual_network", "azurerm_network_security_group"]
        : [
            "azurerm_resource_group",
            "azurerm_kubernetes_cluster",
            "azurerm_kubernetes_cluster_node_pool",
            "azurerm_container_registry",
            "azurerm_storage_account",
          ];
      for (const type of main) expect(types).toContain(type);
    });

    it.each(tagged)("%s %s carries the environment's tags", (_type, _id, tags) => {
      expect(tags).toEqual({ project: "mlflow-aks", "managed-by": "cdktf", environment: env });
    });
  },
);
