import { createHash } from "node:crypto";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { ApplicationFederatedIdentityCredential } from "@cdktf/provider-azuread/lib/application-federated-identity-credential";
import { ApplicationIdentifierUri } from "@cdktf/provider-azuread/lib/application-identifier-uri";
import { ApplicationPreAuthorized } from "@cdktf/provider-azuread/lib/application-pre-authorized";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { KeyVaultCertificate } from "@cdktf/provider-azurerm/lib/key-vault-certificate";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { Construct } from "constructs";

export interface FrontDoorProps {
  resourceGroupName: string;
  location: string;
  /** Display name of the application registration, e.g. mlflow-dev. */
  applicationName: string;
  /** Name of the managed identity that reads the TLS certificate for the Gateway. */
  certificateIdentityName: string;
  host: string;
  allowedGroupObjectIds: string[];
  /** The cluster's OIDC issuer: the federated credentials trust its service-account tokens. */
  oidcIssuerUrl: string;
  /** Kubernetes service accounts (namespace and name) of oauth2-proxy and of the Gateway's certificate reader. */
  proxyServiceAccount: { namespace: string; name: string };
  certificateServiceAccount: { namespace: string; name: string };
  keyVaultId: string;
  /** The identity running Terraform: it creates the certificate through the vault's data plane. */
  deployerObjectId: string;
  ownerObjectIds: string[];
}

/** Azure CLI's public client id: pre-authorized so `az account get-access-token --resource api://...` needs no consent. */
const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
/** The default app role: assigning it to a group admits its members (with app role assignment required). */
const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";
const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
const CERTIFICATE_NAME = "mlflow-front-door";

/**
 * Who may reach MLflow through the front door, and its certificate:
 * - an Entra ID application registration: sign-in redirect URI, group claims, an API (api://<client id>) with a
 *   user_impersonation scope that the Azure CLI may request without consent, v2 access tokens (aud = client id);
 * - its service principal with app role assignment required, the allowed groups assigned: Entra ID itself issues no
 *   token to anybody else, and oauth2-proxy checks the groups again;
 * - a federated credential for oauth2-proxy's service account: no client secret exists;
 * - a TLS certificate issued by the vault itself for the host (replaceable by one from your CA, docs/access.md), and a
 *   managed identity, federated with the Gateway's certificate service account, that may read only that certificate.
 */
export class FrontDoor extends Construct {
  readonly application: Application;
  readonly certificate: KeyVaultCertificate;
  readonly certificateIdentity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const scopeId = stableUuid(`${props.applicationName}/user_impersonation`);

    this.application = new Application(this, "application", {
      displayName: props.applicationName,
      signInAudience: "AzureADMyOrg",
      owners: props.ownerObjectIds,
      groupMembershipClaims: ["SecurityGroup"],
      optionalClaims: {
        idToken: [{ name: "groups" }],
        accessToken: [{ name: "groups" }],
      },
      web: { redirectUris: [`https://${props.host}/oauth2/callback`] },
      api: {
        requestedAccessTokenVersion: 2,
        oauth2PermissionScope: [
          {
            id: scopeId,
            value: "user_impersonation",
            type: "User",
            enabled: true,
            adminConsentDisplayName: "Use MLflow",
            adminConsentDescription: "Sign in to MLflow and call its API as the signed-in user.",
            userConsentDisplayName: "Use MLflow",
            userConsentDescription: "Sign in to MLflow and call its API as you.",
          },
        ],
      },
    });
    new ApplicationIdentifierUri(this, "identifier-uri", {
      applicationId: this.application.id,
      identifierUri: `api://${this.application.clientId}`,
    });
    new ApplicationPreAuthorized(this, "azure-cli", {
      applicationId: this.application.id,
      authorizedClientId: AZURE_CLI_CLIENT_ID,
      permissionIds: [scopeId],
    });
    const principal = new ServicePrincipal(this, "service-principal", {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: true,
      owners: props.ownerObjectIds,
    });
    for (const groupId of props.allowedGroupObjectIds) {
      new AppRoleAssignment(this, `group-${groupId}`, {
        appRoleId: DEFAULT_ACCESS_ROLE_ID,
        principalObjectId: groupId,
        resourceObjectId: principal.objectId,
      });
    }
    new ApplicationFederatedIdentityCredential(this, "proxy-federation", {
      applicationId: this.application.id,
      displayName: "oauth2-proxy",
      description: "oauth2-proxy redeems sign-in codes with its Kubernetes service-account token",
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
      issuer: props.oidcIssuerUrl,
      subject: serviceAccountSubject(props.proxyServiceAccount),
    });

    const officer = new RoleAssignment(this, "deployer-certificates-officer", {
      scope: props.keyVaultId,
      roleDefinitionName: "Key Vault Certificates Officer",
      principalId: props.deployerObjectId,
    });
    // Azure RBAC takes a while to reach Key Vault's data plane; creating the certificate at once fails with 403.
    const officerReady = new Sleep(this, "certificates-officer-propagation", { createDuration: "90s", dependsOn: [officer] });
    this.certificate = new KeyVaultCertificate(this, "certificate", {
      name: CERTIFICATE_NAME,
      keyVaultId: props.keyVaultId,
      dependsOn: [officerReady],
      certificatePolicy: {
        issuerParameters: { name: "Self" },
        keyProperties: { exportable: true, keyType: "RSA", keySize: 2048, reuseKey: false },
        secretProperties: { contentType: "application/x-pkcs12" },
        lifetimeAction: [{ action: { actionType: "AutoRenew" }, trigger: { daysBeforeExpiry: 30 } }],
        x509CertificateProperties: {
          subject: `CN=${props.host}`,
          subjectAlternativeNames: { dnsNames: [props.host] },
          keyUsage: ["digitalSignature", "keyEncipherment"],
          extendedKeyUsage: ["1.3.6.1.5.5.7.3.1"],
          validityInMonths: 12,
        },
      },
      // A certificate imported in its place (your CA's) is kept: Terraform manages the name, not the content.
      lifecycle: { ignoreChanges: ["certificate_policy", "certificate"] },
    });

    this.certificateIdentity = new UserAssignedIdentity(this, "certificate-identity", {
      name: props.certificateIdentityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    new RoleAssignment(this, "certificate-reader", {
      // The certificate's secret only (its private key), not the vault.
      scope: `${props.keyVaultId}/secrets/${CERTIFICATE_NAME}`,
      roleDefinitionName: "Key Vault Secrets User",
      principalId: this.certificateIdentity.principalId,
      dependsOn: [this.certificate],
    });
    new FederatedIdentityCredential(this, "certificate-federation", {
      name: "gateway-certificate",
      resourceGroupName: props.resourceGroupName,
      parentId: this.certificateIdentity.id,
      audience: [TOKEN_EXCHANGE_AUDIENCE],
      issuer: props.oidcIssuerUrl,
      subject: serviceAccountSubject(props.certificateServiceAccount),
    });
  }
}

function serviceAccountSubject(sa: { namespace: string; name: string }): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

/** A UUID derived from a name: the same on every synth, unique per application (the scope id must not change). */
function stableUuid(name: string): string {
  const h = createHash("sha256").update(`mlflow-aks front door ${name}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
