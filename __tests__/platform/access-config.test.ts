import { loadConfig } from "../../config";
import { problemsWith } from "../support/config-problems";

const publicDev = (network: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  dev: { network: { access: "public", ...network }, ...rest },
});

describe("access mode settings", () => {
  it("staging and prod are private with customer-managed keys and a Premium registry", () => {
    const [, staging, prod] = loadConfig({}).environments.map((e) => e.config);
    for (const env of [staging!, prod!]) {
      expect(env.network.access).toBe("private");
      expect(env.network.authorizedIpRanges).toEqual([]);
      expect(env.encryption.customerManagedKey).toBe(true);
      expect(env.registry.sku).toBe("Premium");
    }
  });

  it("a public environment with no authorized range is valid (synth works on a fresh machine; the deploy is refused)", () => {
    expect(problemsWith(publicDev())).toEqual([]);
  });

  it("MLFLOW_AUTHORIZED_IP_RANGES adds to every public environment's ranges and leaves private ones alone", () => {
    const config = loadConfig({
      MLFLOW_CONFIG_OVERRIDES: JSON.stringify(publicDev({ authorizedIpRanges: ["198.51.100.0/24"] })),
      MLFLOW_AUTHORIZED_IP_RANGES: " 203.0.113.7/32 , 192.0.2.0/28",
    });
    const [dev, staging] = config.environments.map((e) => e.config);
    expect(dev!.network.authorizedIpRanges).toEqual(["198.51.100.0/24", "203.0.113.7/32", "192.0.2.0/28"]);
    expect(staging!.network.authorizedIpRanges).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "the whole internet",
      publicDev({ authorizedIpRanges: ["0.0.0.0/0"] }),
      "[dev] network.authorizedIpRanges[0]: 0.0.0.0/0 is wider than /8: that opens the endpoints to a large part of the internet; find your public address with `curl -s https://api.ipify.org` and authorize it as <address>/32",
    ],
    ["half the internet", publicDev({ authorizedIpRanges: ["128.0.0.0/1"] }), "[dev] network.authorizedIpRanges[0]: 128.0.0.0/1 is wider than /8"],
    [
      "a range with host bits set",
      publicDev({ authorizedIpRanges: ["203.0.113.7/24"] }),
      "[dev] network.authorizedIpRanges[0]: 203.0.113.7/24 has host bits set: write the network address, 203.0.113.0/24",
    ],
    [
      "a private address",
      publicDev({ authorizedIpRanges: ["192.168.1.10/32"] }),
      "[dev] network.authorizedIpRanges[0]: 192.168.1.10/32 is not a public address (private (RFC 1918), 192.168.0.0/16)",
    ],
    [
      "a range reaching into a private block",
      publicDev({ authorizedIpRanges: ["172.0.0.0/8"] }),
      "[dev] network.authorizedIpRanges[0]: 172.0.0.0/8 is not a public address (private (RFC 1918), 172.16.0.0/12)",
    ],
    [
      "loopback",
      publicDev({ authorizedIpRanges: ["127.0.0.1/32"] }),
      "[dev] network.authorizedIpRanges[0]: 127.0.0.1/32 is not a public address (loopback, 127.0.0.0/8)",
    ],
    [
      "a range that is not a CIDR",
      publicDev({ authorizedIpRanges: ["203.0.113.7"] }),
      "[dev] network.authorizedIpRanges.0: must be an IPv4 CIDR such as 10.20.0.0/16",
    ],
    [
      "the same address twice",
      publicDev({ authorizedIpRanges: ["203.0.113.0/24", "203.0.113.9/32"] }),
      "[dev] network.authorizedIpRanges[1]: overlaps network.authorizedIpRanges[0] (203.0.113.9/32 and 203.0.113.0/24): list each address once",
    ],
    [
      "ranges in private mode",
      { staging: { network: { authorizedIpRanges: ["203.0.113.0/24"] } } },
      '[staging] network.authorizedIpRanges: must be empty while network.access is "private": nothing has a public endpoint to limit',
    ],
    ["an unknown access mode", { dev: { network: { access: "open" } } }, '[dev] network.access: Invalid option: expected one of "public"|"private"'],
    [
      "a Basic registry in private mode",
      { staging: { registry: { sku: "Basic" } } },
      "[staging] registry.sku: must be Premium (private endpoints need Premium)",
    ],
    [
      "a Standard registry in public mode",
      publicDev({}, { registry: { sku: "Standard" } }),
      "[dev] registry.sku: must be Premium (network rules need Premium: a Basic or Standard registry answers every address on the internet)",
    ],
    ["a public production environment", { prod: { network: { access: "public" } } }, '[prod] network.access: production policy: must be "private"'],
    [
      "production without customer-managed keys",
      { prod: { encryption: { customerManagedKey: false } } },
      "[prod] encryption.customerManagedKey: production policy: must be true",
    ],
  ])("refuses %s, naming the field and the rule", (_case, overrides, expected) => {
    expect(problemsWith(overrides).some((line) => line.startsWith(expected))).toBe(true);
  });

  it("a range from MLFLOW_AUTHORIZED_IP_RANGES is checked like one in the config", () => {
    expect(problemsWith(publicDev(), { MLFLOW_AUTHORIZED_IP_RANGES: "10.1.2.3/32" })).toEqual([
      "[dev] network.authorizedIpRanges[0]: 10.1.2.3/32 is not a public address (private (RFC 1918), 10.0.0.0/8): Azure's IP rules take public addresses only",
    ]);
  });
});
