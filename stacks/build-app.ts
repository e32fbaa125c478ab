import type { Construct } from "constructs";
import type { AppConfig } from "../config";
import { type ChartSource, MlflowStack } from "./mlflow-stack";
import { PlatformStack } from "./platform-stack";

export interface EnvironmentStacks {
  platform: PlatformStack;
  mlflow: MlflowStack;
}

/** Builds the two stacks of every validated environment into an app (main.ts, and the tests). */
export function buildStacks(app: Construct, config: AppConfig, chart: ChartSource): Map<string, EnvironmentStacks> {
  const { stateBackend, kubeloginMode } = config.settings;
  const stacks = new Map<string, EnvironmentStacks>();
  for (const environment of config.environments) {
    const platform = new PlatformStack(app, { environment, stateBackend });
    const mlflow = new MlflowStack(app, { environment, platform: platform.outputs, chart, stateBackend, kubeloginMode });
    stacks.set(environment.config.name, { platform, mlflow });
  }
  return stacks;
}
