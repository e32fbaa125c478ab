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
  /** The front door's identities and certificate (docs/access.md); null when the environment has none. */
  frontDoor: FrontDoorOutputs | null;
}

export interface FrontDoorOutputs {
  /** Client id of the application registration: oauth2-proxy's client id and the audience of API tokens. */
  clientId: string;
  /** Versionless Key Vault URI of the TLS certificate (renewals are picked up). */
  certificateUri: string;
  /** Client id of the managed identity that reads the certificate for the Gateway. */
  certificateIdentityClientId: string;
}
