import { ConfigValidationError, loadConfig } from "../../config";

/** Loads the committed environments with MLFLOW_CONFIG_OVERRIDES (and extra variables), returning the problem lines. */
export function problemsWith(overrides: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig({ ...env, MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map((p) => `[${p.environment}] ${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}
