// Limits the chart enforces on what the MLflow stack hands it, read from the chart's own values.schema.json so that
// config/ refuses before synth exactly what the chart would refuse at deploy time (one source for both).
import chartSchema from "../helm_charts/mlflow_setup/values.schema.json";

interface SchemaNode {
  type?: string | string[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
}

/** Helm refuses release names longer than this (helm/pkg/chartutil: release names are at most 53 characters). */
export const HELM_RELEASE_NAME_MAX = 53;

function node(path: string): SchemaNode {
  let current = chartSchema as SchemaNode;
  for (const key of path.split(".")) {
    const next = current.properties?.[key];
    if (!next) throw new Error(`helm_charts/mlflow_setup/values.schema.json has no property ${path}: config/chart-limits.ts reads its limits from there`);
    current = next;
  }
  return current;
}

function bounds(path: string): { min: number; max: number } {
  const n = node(path);
  if (n.minimum === undefined || n.maximum === undefined) {
    throw new Error(`helm_charts/mlflow_setup/values.schema.json: ${path} needs a minimum and a maximum`);
  }
  return { min: n.minimum, max: n.maximum };
}

/** The release name becomes the chart's fullnameOverride (stacks/mlflow-values.ts). */
const fullname = node("fullnameOverride");

export const chartLimits = {
  releaseName: {
    maxLength: Math.min(fullname.maxLength ?? HELM_RELEASE_NAME_MAX, HELM_RELEASE_NAME_MAX),
    pattern: new RegExp(fullname.pattern ?? "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
  },
  replicas: bounds("trackingServer.replicas"),
  workers: bounds("trackingServer.workers"),
} as const;
