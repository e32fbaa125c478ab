import { Application } from "@cdktf/provider-azuread/lib/application";
import { ApplicationPasswordA as ApplicationPassword } from "@cdktf/provider-azuread/lib/application-password";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export interface RegistryPushPrincipalProps {
  displayName: string;
  registryId: string;
  ownerObjectIds: string[];
  passwordRotationDays: number;
}

/** Hours a password stays valid after its rotation date, so a late `deploy` never meets an expired one. */
const ROTATION_GRACE_HOURS = 14 * 24;

/**
 * An Entra ID application and service principal whose only role is AcrPush on one registry.
 * Its password rotates on a schedule: the next deploy after the rotation date replaces it.
 */
export class RegistryPushPrincipal extends Construct {
  readonly application: Application;
  readonly servicePrincipal: ServicePrincipal;
  readonly password: ApplicationPassword;

  constructor(scope: Construct, id: string, props: RegistryPushPrincipalProps) {
    super(scope, id);

    this.application = new Application(this, "application", {
      displayName: props.displayName,
      owners: props.ownerObjectIds,
      signInAudience: "AzureADMyOrg",
    });
    this.servicePrincipal = new ServicePrincipal(this, "service-principal", {
      clientId: this.application.clientId,
      owners: props.ownerObjectIds,
    });

    const rotation = new Rotating(this, "password-rotation", { rotationDays: props.passwordRotationDays });
    this.password = new ApplicationPassword(this, "password", {
      applicationId: this.application.id,
      displayName: "acr-push (rotated by terraform)",
      endDate: Fn.timeadd(rotation.rotationRfc3339, `${ROTATION_GRACE_HOURS}h`),
      rotateWhenChanged: { rotation: rotation.id },
    });

    new RoleAssignment(this, "acr-push", {
      scope: props.registryId,
      roleDefinitionName: "AcrPush",
      principalId: this.servicePrincipal.objectId,
    });
  }

  get clientId(): string {
    return this.application.clientId;
  }
}
