// MLFLOW_CONFIG_OVERRIDES with the front door on in every committed environment (sample inputs), for scripts/scan.sh:
//   MLFLOW_CONFIG_OVERRIDES="$(node --import tsx scripts/front-door-sample.ts)" npm run synth
import { loadConfig } from "../config";
import { cidrRange } from "../config/network";

/** A sample internal address: the sixth address from the end of the subnet, clear of Azure's reserved first four. */
function addressNear(cidr: string): string {
  const n = cidrRange(cidr).last - 5;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

const overrides = Object.fromEntries(
  loadConfig(process.env).environments.map(({ config }) => [
    config.name,
    {
      // The front door's certificate lives in the environment's Key Vault.
      encryption: { customerManagedKey: true },
      frontDoor: {
        enabled: true,
        host: `mlflow.${config.name}.example.internal`,
        privateIpAddress: config.network.access === "private" ? addressNear(config.network.nodesSubnet) : null,
        allowedGroupObjectIds: ["00000000-0000-4000-8000-00000000000a"],
        proxyImage: { repository: null, digest: `sha256:${"0".repeat(60)}5ca4` },
      },
    },
  ]),
);
process.stdout.write(JSON.stringify(overrides));
