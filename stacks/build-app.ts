import type { Construct } from "constructs";
import type { AppConfig } from "../config";
import { type ChartSource, MlflowStack } from "./mlflow-stack";
import { NetworkStack } from "./network-stack";
import { PlatformStack } from "./platform-stack";

/** One environment's stacks, in deploy order: each consumes the outputs of the one before. */
export interface EnvironmentStacks {
  network: NetworkStack;
  platform: PlatformStack;
  mlflow: MlflowStack;
}

/** Builds the three stacks of every validated environment into an app (main.ts, and the tests). */
export function buildStacks(app: Construct, config: AppConfig, chart: ChartSource): Map<string, EnvironmentStacks> {
  const { stateBackend, kubeloginMode } = config.settings;
  const stacks = new Map<string, EnvironmentStacks>();
  for (const environment of config.environments) {
    const network = new NetworkStack(app, { environment, stateBackend });
    const platform = new PlatformStack(app, { environment, network: network.outputs, stateBackend });
    const mlflow = new MlflowStack(app, { environment, platform: platform.outputs, chart, stateBackend, kubeloginMode });
    stacks.set(environment.config.name, { network, platform, mlflow });
  }
  return stacks;
}
