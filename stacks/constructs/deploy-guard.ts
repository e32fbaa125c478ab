import { DataResource, Fn, Op, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { FIND_YOUR_ADDRESS } from "../../config/access-rules";

/**
 * Public mode: refuses a plan (so every deploy) while no authorized range is set, because AKS reads an empty list as
 * "every address". Synth still succeeds, so the quick start works on a fresh machine before anyone has an address.
 * A terraform_data resource needs no provider, so the refusal can be planned anywhere (__tests__/platform).
 */
export class AuthorizedRangesGuard extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: { environment: string; authorizedIpRanges: string[] }) {
    super(scope, id);
    // Terraform takes only a condition that refers to some object, so the ranges go through a local.
    const ranges = new TerraformLocal(this, "authorized_ip_ranges", props.authorizedIpRanges);
    this.resource = new DataResource(this, "check", {
      input: { authorized_ip_ranges: ranges.expression },
      lifecycle: {
        precondition: [
          {
            // At least 1 (cdktf drops a literal 0 operand).
            condition: Op.gte(Fn.lengthOf(ranges.expression), 1),
            errorMessage:
              `Environment ${props.environment} is in public access mode and has no authorized IP range: its registry, ` +
              `storage and Key Vault would admit nobody, and AKS reads an empty list as every address. To fix it, ` +
              `${FIND_YOUR_ADDRESS}: export MLFLOW_AUTHORIZED_IP_RANGES="$(curl -s https://api.ipify.org)/32", then synth ` +
              `and deploy again (or set network.authorizedIpRanges in config/environments/${props.environment}.ts).`,
          },
        ],
      },
    });
  }
}
