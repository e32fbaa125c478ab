import type { EnvironmentConfig } from "./schema";

/** Every Azure name of one environment, derived in one place so rules.ts can check them before use. */
export interface ResourceNames {
  resourceGroup: string;
  /** The network stack's own resource group. */
  networkResourceGroup: string;
  nodeResourceGroup: string;
  cluster: string;
  dnsPrefix: string;
  registry: string;
  storageAccount: string;
  pushPrincipal: string;
  logAnalyticsWorkspace: string;
  virtualNetwork: string;
  keyVault: string;
  diskEncryptionSet: string;
  clusterIdentity: string;
  /** Public mode: the cluster's outbound address. */
  clusterEgressIp: string;
  storageKeyIdentity: string;
  /** The stacks of one environment, in deploy order. */
  networkStack: string;
  infraStack: string;
  mlflowStack: string;
}

export function resourceNames(env: Pick<EnvironmentConfig, "name" | "namingPrefix" | "uniqueSuffix">): ResourceNames {
  const base = `${env.namingPrefix}-${env.name}`;
  const compact = `${env.namingPrefix}${env.name}${env.uniqueSuffix}`;
  return {
    resourceGroup: `rg-${base}`,
    networkResourceGroup: `rg-${base}-network`,
    nodeResourceGroup: `rg-${base}-nodes`,
    cluster: `aks-${base}`,
    dnsPrefix: base,
    registry: `cr${compact}`,
    storageAccount: `st${compact}`,
    pushPrincipal: `sp-${base}-acr-push`,
    logAnalyticsWorkspace: `log-${base}`,
    virtualNetwork: `vnet-${base}`,
    keyVault: `kv${compact}`,
    diskEncryptionSet: `des-${base}`,
    clusterIdentity: `id-${base}-aks`,
    clusterEgressIp: `pip-${base}-aks-egress`,
    storageKeyIdentity: `id-${base}-storage-key`,
    networkStack: `network-${env.name}`,
    infraStack: `infra-${env.name}`,
    mlflowStack: `mlflow-${env.name}`,
  };
}

/** Azure's rule for each derived name: the pattern and how to say it to a person. */
export const nameRules: Record<keyof ResourceNames, { pattern: RegExp; rule: string }> = {
  resourceGroup: { pattern: /^[-\w.()]{0,89}[-\w()]$/, rule: "1-90 letters, digits, - _ . ( ), not ending in ." },
  networkResourceGroup: { pattern: /^[-\w.()]{0,89}[-\w()]$/, rule: "1-90 letters, digits, - _ . ( ), not ending in ." },
  nodeResourceGroup: { pattern: /^[-\w.()]{0,79}[-\w()]$/, rule: "1-80 letters, digits, - _ . ( ), not ending in ." },
  cluster: { pattern: /^[a-zA-Z0-9][-\w]{0,61}[a-zA-Z0-9]$/, rule: "1-63 letters, digits, - _, starting and ending alphanumeric" },
  dnsPrefix: { pattern: /^[a-zA-Z0-9][-a-zA-Z0-9]{0,52}[a-zA-Z0-9]$/, rule: "1-54 letters, digits and hyphens, starting and ending alphanumeric" },
  registry: { pattern: /^[a-zA-Z0-9]{5,50}$/, rule: "5-50 letters and digits (globally unique)" },
  storageAccount: { pattern: /^[a-z0-9]{3,24}$/, rule: "3-24 lowercase letters and digits (globally unique)" },
  pushPrincipal: { pattern: /^.{1,120}$/, rule: "1-120 characters" },
  logAnalyticsWorkspace: { pattern: /^[a-zA-Z0-9][-a-zA-Z0-9]{2,61}[a-zA-Z0-9]$/, rule: "4-63 letters, digits and hyphens, starting and ending alphanumeric" },
  virtualNetwork: { pattern: /^[a-zA-Z0-9][-\w.]{0,62}\w$/, rule: "2-64 letters, digits, - _ ., starting alphanumeric, ending alphanumeric or _" },
  keyVault: {
    pattern: /^[a-zA-Z](?!.*--)[-a-zA-Z0-9]{1,22}[a-zA-Z0-9]$/,
    rule: "3-24 letters, digits and single hyphens, starting with a letter (globally unique)",
  },
  diskEncryptionSet: { pattern: /^[a-zA-Z0-9][-\w]{0,78}\w$/, rule: "1-80 letters, digits, - _, starting alphanumeric" },
  clusterIdentity: { pattern: /^[a-zA-Z0-9][-\w]{2,127}$/, rule: "3-128 letters, digits, - _, starting alphanumeric" },
  clusterEgressIp: { pattern: /^[a-zA-Z0-9][-\w.]{0,78}\w$/, rule: "1-80 letters, digits, - _ ., starting alphanumeric, ending alphanumeric or _" },
  storageKeyIdentity: { pattern: /^[a-zA-Z0-9][-\w]{2,127}$/, rule: "3-128 letters, digits, - _, starting alphanumeric" },
  networkStack: { pattern: /^[a-z][a-z0-9-]{1,30}$/, rule: "a stack name of lowercase letters, digits and hyphens" },
  infraStack: { pattern: /^[a-z][a-z0-9-]{1,30}$/, rule: "a stack name of lowercase letters, digits and hyphens" },
  mlflowStack: { pattern: /^[a-z][a-z0-9-]{1,30}$/, rule: "a stack name of lowercase letters, digits and hyphens" },
};
