import { Testing } from "cdktf";
import { loadConfig } from "../../config";
import { buildStacks, type EnvironmentStacks } from "../../stacks/build-app";

/** Synthesized Terraform JSON of one stack. */
export type TerraformJson = {
  terraform: Record<string, any>;
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, any[]>;
};

/** Builds every stack of every committed environment, as main.ts does, from the given variables. */
export function buildAll(env: NodeJS.ProcessEnv = {}): Map<string, EnvironmentStacks> {
  return buildStacks(Testing.app(), loadConfig(env));
}

export function synthJson(stack: Parameters<typeof Testing.synth>[0]): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** All resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource[type] ?? {});
}

export function onlyResourceOf(json: TerraformJson, type: string): Record<string, any> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The Terraform reference `${type.<id>.attr}` to the only resource of a type in a stack. */
export function refOf(json: TerraformJson, type: string, attr: string): string {
  const ids = Object.keys(json.resource[type] ?? json.data?.[type.replace(/^data\./, "")] ?? {});
  if (ids.length !== 1) throw new Error(`expected exactly one ${type}, found ${ids.length}`);
  return `\${${type}.${ids[0]}.${attr}}`;
}
