/**
 * What the MLflow stack may know about an environment's platform: the one seam between the stacks.
 * Values are Terraform tokens when they come from a PlatformStack; the MLflow stack could equally
 * be handed an existing cluster and registry through this interface.
 */
export interface PlatformOutputs {
  resourceGroupName: string;
  clusterName: string;
  /** API server URL and its CA (base64 PEM). */
  clusterHost: string;
  clusterCaCertificate: string;
  /** Client certificate sign-in; null where local accounts are disabled (Entra ID via kubelogin). */
  clusterClientCredentials: { certificate: string; key: string } | null;
  tenantId: string;
  oidcIssuerUrl: string;
  registryLoginServer: string;
  pushPrincipalClientId: string;
  /** Sensitive. */
  pushPrincipalPassword: string;
  storageAccountName: string;
  /** Sensitive. */
  storageAccountKey: string;
  fileShareName: string;
  artifactContainerName: string;
  backupContainerName: string;
  /** Disk encryption set (customer-managed key) the chart's StorageClass encrypts the MySQL disk with; null without one. */
  diskEncryptionSetId: string | null;
}
