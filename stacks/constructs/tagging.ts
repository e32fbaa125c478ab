import { Aspects, type IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

/** A resource whose Terraform schema has a `tags` map (all taggable azurerm resources). */
interface TaggableResource extends TerraformResource {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

export function isTaggable(node: IConstruct): node is TaggableResource {
  return node instanceof TerraformResource && node.terraformResourceType.startsWith("azurerm_") && "tagsInput" in node;
}

/**
 * Gives every taggable azurerm resource the environment's tags, so no resource can be
 * forgotten. Tags a resource sets itself win over the shared ones.
 */
export class TagAspect implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
    }
  }

  static applyTo(scope: IConstruct, tags: Record<string, string>): void {
    Aspects.of(scope).add(new TagAspect(tags));
  }
}
