// renovate.json covers every pinned version in the repository: a pin that no manager would update fails here,
// naming the file, the line and what to add.
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../support/project";
import { pinsIn, regexExtract, type RenovateConfig, repoFiles, uncovered } from "../support/renovate-coverage";

const config = JSON.parse(fs.readFileSync(path.join(repoRoot, "renovate.json"), "utf8")) as RenovateConfig;
const files = repoFiles(repoRoot).map((file) => ({ file, text: fs.readFileSync(path.join(repoRoot, file), "utf8") }));
const pins = files.flatMap(({ file, text }) => pinsIn(file, text));

describe("Renovate", () => {
  it("finds the pins of every kind", () => {
    const inFile = (re: RegExp) => pins.filter((p) => re.test(p.file)).length;
    expect(inFile(/^scripts\/versions\.env$/)).toBeGreaterThanOrEqual(8);
    expect(inFile(/Dockerfile$/)).toBeGreaterThanOrEqual(10);
    expect(inFile(/^\.github\//)).toBeGreaterThanOrEqual(20);
    expect(inFile(/requirements[^/]*\.(txt|in)$/)).toBeGreaterThanOrEqual(150);
    expect(inFile(/Chart\.yaml$/)).toBe(2);
    expect(inFile(/^helm_charts\/.*values\.yaml$/)).toBe(3); // MySQL, tracking server, oauth2-proxy images
    expect(inFile(/(^|\/)package\.json$/)).toBe(2);
    expect(inFile(/^\.nvmrc$/)).toBe(1);
    expect(inFile(/^docker\/tracking-server\/VERSION$|^config\/defaults\.ts$/)).toBe(2);
  });

  it("covers every pin with a manager", () => {
    expect(files.flatMap(({ file, text }) => uncovered(config, file, text))).toEqual([]);
  });

  it("reads each regex-managed pin with its datasource and package", () => {
    const extracted = regexExtract(config, "scripts/versions.env", fs.readFileSync(path.join(repoRoot, "scripts/versions.env"), "utf8"));
    const helm = [...extracted.values()].find((e) => e.depName === "helm.sh/helm/v3");
    expect(helm).toEqual({ value: expect.stringMatching(/^v3\.\d+\.\d+$/), datasource: "go", depName: "helm.sh/helm/v3" });
  });

  it("every regex manager's expressions are valid and extract something", () => {
    for (const manager of config.customManagers) {
      const reads = files.filter(({ file, text }) => regexExtract({ ...config, customManagers: [manager] }, file, text).size > 0);
      expect({ manager: manager.managerFilePatterns, reads: reads.length > 0 }).toEqual({ manager: manager.managerFilePatterns, reads: true });
    }
  });

  it("fails on a pin added without a way for Renovate to read it", () => {
    expect(uncovered(config, "scripts/versions.env", "# renovate: datasource=go depName=example.com/a\nA_VERSION=v1.0.0\nB_VERSION=v2.0.0\n")).toEqual([
      expect.stringMatching(/^scripts\/versions\.env:3 B_VERSION=v2\.0\.0 \(no regex manager extracts it/),
    ]);
    expect(uncovered(config, "docker/new/Dockerfile", "FROM alpine:3.22\nARG TOOL_VERSION=1.2.3\n")).toEqual([
      expect.stringMatching(/^docker\/new\/Dockerfile:2 ARG TOOL_VERSION=1\.2\.3 \(no regex manager/),
    ]);
    expect(uncovered(config, ".github/workflows/x.yml", 'env:\n  JAVA_VERSION: "21.0.1"\n')).toEqual([expect.stringContaining("JAVA_VERSION")]);
    expect(uncovered(config, "helm_charts/mlflow_setup/Chart.yaml", "dependencies:\n  - name: redis\n    repository: oci://registry.example/charts\n")).toEqual(
      [expect.stringContaining("helmv3 manager does not read this file")],
    );
    const withoutPip = { ...config, enabledManagers: config.enabledManagers.filter((m) => m !== "pip_requirements") };
    expect(uncovered(withoutPip, "__tests__/e2e/requirements-test.txt", "pytest==9.2.0\n")).toHaveLength(1);
  });
});
