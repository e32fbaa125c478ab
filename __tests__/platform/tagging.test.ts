import { isTaggable } from "../../stacks/constructs/tagging";
import { synthAll } from "../support/stacks";

const app = synthAll();

describe.each(["dev", "staging", "prod"])("tags in infra-%s", (env) => {
  const stack = app.stacks.get(env)!.platform;
  const json = app.json(`infra-${env}`);
  const taggable = stack.node.findAll().filter(isTaggable);

  it("finds the taggable resources of the stack", () => {
    const types = new Set(taggable.map((r) => r.terraformResourceType));
    for (const type of [
      "azurerm_resource_group",
      "azurerm_kubernetes_cluster",
      "azurerm_kubernetes_cluster_node_pool",
      "azurerm_container_registry",
      "azurerm_storage_account",
    ]) {
      expect(types).toContain(type);
    }
  });

  it.each(taggable.map((r) => [r.terraformResourceType, r.friendlyUniqueId] as const))("%s %s carries the environment's tags", (type, id) => {
    expect(json.resource[type]![id]!.tags).toEqual({ project: "mlflow-aks", "managed-by": "cdktf", environment: env });
  });
});
