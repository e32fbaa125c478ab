import type { Construct } from "constructs";
import type { AppConfig } from "../config";
import { PlatformStack } from "./platform-stack";

export interface EnvironmentStacks {
  platform: PlatformStack;
}

/** Builds the stacks of every validated environment into an app (main.ts, and the tests). */
export function buildStacks(app: Construct, config: AppConfig): Map<string, EnvironmentStacks> {
  const stacks = new Map<string, EnvironmentStacks>();
  for (const environment of config.environments) {
    const platform = new PlatformStack(app, { environment, stateBackend: config.settings.stateBackend });
    stacks.set(environment.config.name, { platform });
  }
  return stacks;
}
