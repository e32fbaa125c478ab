import { z } from "zod";
import { imageDigest } from "./image-reference";
import type { ConfigProblem } from "./errors";

// Settings that come from the process environment rather than from committed files.
// Only this file and main.ts read process.env.

export type StateBackendSettings = { kind: "local" } | { kind: "azurerm"; resourceGroupName: string; storageAccountName: string; containerName: string };

export type KubeloginMode = "azurecli" | "workloadidentity" | "spn";

export interface RuntimeSettings {
  stateBackend: StateBackendSettings;
  /** How the Kubernetes and Helm providers sign in where local accounts are disabled. */
  kubeloginMode: KubeloginMode;
  /** Tracking-server image digest built by the pipeline; wins over the configured tag. */
  imageDigest: string | null;
  /** Per-environment overrides as JSON (MLFLOW_CONFIG_OVERRIDES), for experiments and CI. */
  overrides: Record<string, unknown>;
  /** Added to network.authorizedIpRanges of every public-mode environment (MLFLOW_AUTHORIZED_IP_RANGES, comma-separated). */
  authorizedIpRanges: string[];
}

export const settingVariables = {
  stateResourceGroup: "TF_STATE_RESOURCE_GROUP",
  stateStorageAccount: "TF_STATE_STORAGE_ACCOUNT",
  stateContainer: "TF_STATE_CONTAINER",
  kubeloginMode: "KUBELOGIN_LOGIN_MODE",
  imageDigest: "MLFLOW_IMAGE_DIGEST",
  overrides: "MLFLOW_CONFIG_OVERRIDES",
  authorizedIpRanges: "MLFLOW_AUTHORIZED_IP_RANGES",
} as const;

const kubeloginMode = z.enum(["azurecli", "workloadidentity", "spn"]);
const digest = z.string().regex(imageDigest);

export function readSettings(env: NodeJS.ProcessEnv): { settings: RuntimeSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const report = (variable: string, message: string) => problems.push({ environment: "*", field: variable, message });
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const v = settingVariables;
  const resourceGroupName = get(v.stateResourceGroup);
  const storageAccountName = get(v.stateStorageAccount);
  const containerName = get(v.stateContainer);
  const state = [resourceGroupName, storageAccountName, containerName];
  let stateBackend: StateBackendSettings = { kind: "local" };
  if (resourceGroupName && storageAccountName && containerName) {
    stateBackend = { kind: "azurerm", resourceGroupName, storageAccountName, containerName };
    if (!/^[a-z0-9]{3,24}$/.test(storageAccountName)) report(v.stateStorageAccount, "must be 3-24 lowercase letters and digits");
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(containerName)) {
      report(v.stateContainer, "must be 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric");
    }
    if (!/^[-\w.()]{0,89}[-\w()]$/.test(resourceGroupName)) report(v.stateResourceGroup, "must be 1-90 letters, digits, - _ . ( ), not ending in .");
  } else if (state.some((s) => s !== undefined)) {
    report(`${v.stateResourceGroup}/${v.stateStorageAccount}/${v.stateContainer}`, "set all three for the azurerm state backend, or none for local state");
  }

  const mode = get(v.kubeloginMode) ?? "azurecli";
  const modeResult = kubeloginMode.safeParse(mode);
  if (!modeResult.success) report(v.kubeloginMode, `must be one of azurecli, workloadidentity, spn (got "${mode}")`);

  let imageDigest = get(v.imageDigest) ?? null;
  if (imageDigest !== null && !digest.safeParse(imageDigest).success) {
    report(v.imageDigest, "must be sha256: followed by 64 lowercase hex digits");
    imageDigest = null;
  }

  let overrides: Record<string, unknown> = {};
  const rawOverrides = get(v.overrides);
  if (rawOverrides) {
    try {
      const parsed: unknown = JSON.parse(rawOverrides);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      overrides = parsed as Record<string, unknown>;
    } catch {
      report(v.overrides, 'must be a JSON object keyed by environment name, e.g. {"dev":{"kubernetes":{"userPool":{"maxCount":5}}}}');
    }
  }

  // Each range is checked with the environment it joins (config/access-rules.ts), so messages name the field.
  const authorizedIpRanges = (get(v.authorizedIpRanges) ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);

  return {
    settings: { stateBackend, kubeloginMode: modeResult.success ? modeResult.data : "azurecli", imageDigest, overrides, authorizedIpRanges },
    problems,
  };
}
