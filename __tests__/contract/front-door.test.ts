import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../config";
import { cidrContains } from "../../config/network";
import { repoRoot } from "../support/project";
import { chartInputs, renderChart } from "../../scripts/render-environment";
import { synthAll } from "../support/stacks";
import { chartWorkspace, kubeValidate } from "../support/chart-workspace";

// The front door across the seam: with it enabled in an environment, the values and secrets the MLflow stack hands
// helm pass the chart's schema and rules, and the Gateway and HTTPRoute pass the Gateway API CRDs' schemas.

const overrides = {
  dev: {
    network: { access: "private" },
    frontDoor: {
      enabled: true,
      host: "mlflow.dev.example.internal",
      privateIpAddress: "10.20.3.250",
      allowedGroupObjectIds: ["5b7c2f4e-0000-4000-8000-00000000000a"],
      proxyImage: { repository: "mlflowdev.azurecr.io/oauth2-proxy", digest: `sha256:${"7".repeat(64)}` },
    },
  },
};
const app = synthAll({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
const workspace = chartWorkspace();
afterAll(() => workspace.cleanup());

describe("values of mlflow-dev with a front door", () => {
  const inputs = chartInputs(app.outdir, "dev");
  const rendered = renderChart(inputs, workspace.chart);
  const manifests = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS())
    .filter(Boolean);

  it("render with helm and pass strict schema validation, Gateway API objects included", () => {
    expect(rendered.stderr).toBe("");
    expect(rendered.status).toBe(0);
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(["Gateway", "HTTPRoute"]));
    const result = kubeValidate(rendered.stdout);
    expect(result.stdout + result.stderr).toMatch(/Invalid: 0, Errors: 0/);
    expect(result.status).toBe(0);
  });

  it("wire oauth2-proxy to the platform's application and the Gateway to the vault's certificate", () => {
    const proxy = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "mlflow-oauth2-proxy");
    const clientId = inputs.values.frontDoor.entra.clientId;
    expect(proxy.spec.template.spec.containers[0].args).toContain(`--client-id=${clientId}`);
    // config's frontDoor.proxyImage: the imported copy, pinned by digest.
    expect(proxy.spec.template.spec.containers[0].image).toBe(`mlflowdev.azurecr.io/oauth2-proxy@sha256:${"7".repeat(64)}`);
    const gateway = manifests.find((m) => m.kind === "Gateway");
    expect(gateway.spec.listeners[0].tls.options["kubernetes.azure.com/tls-cert-keyvault-uri"]).toBe(
      inputs.values.frontDoor.gateway.tls.keyVaultCertificateUri,
    );
  });
});

describe("scripts/front-door-sample.ts (npm run scan's second chart scan)", () => {
  const sample = spawnSync(process.execPath, ["--import", "tsx", "scripts/front-door-sample.ts"], { cwd: repoRoot, encoding: "utf8" });

  it("turns the front door on in every environment with overrides the config accepts", () => {
    expect(sample.stderr).toBe("");
    // As scripts/scan.sh synthesizes: public environments with a documentation range.
    const environments = loadConfig({ MLFLOW_CONFIG_OVERRIDES: sample.stdout, MLFLOW_AUTHORIZED_IP_RANGES: "203.0.113.0/24" }).environments;
    expect(environments.length).toBeGreaterThan(0);
    for (const { config } of environments) {
      expect(config.frontDoor.enabled).toBe(true);
      // Private environments take an address near the end of their nodes subnet.
      if (config.network.access === "private") expect(cidrContains(config.network.nodesSubnet, config.frontDoor.privateIpAddress!)).toBe(true);
    }
  });
});
