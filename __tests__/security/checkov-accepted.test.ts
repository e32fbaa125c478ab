// The one accepted-checks file, and the verdict npm run scan draws from checkov's reports with it
// (scripts/checkov-verdict.ts). The scan itself runs checkov; these tests hold the file's shape and the verdict's rules.
import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../config";
import { ACCEPTED_CAP, judge, judgeTarget, listProblems, parseAccepted, type AcceptedCheck } from "../../scripts/checkov-verdict";
import { acceptedChecksPart, acceptedChecksSection } from "../../scripts/docs/accepted-checks";
import { committedPart } from "../../scripts/docs/generated-blocks";
import { repoRoot } from "../support/project";

const file = path.join(repoRoot, "security", "checkov-accepted.yaml");
const committed = parseAccepted(fs.readFileSync(file, "utf8"));
const envs = loadConfig({}).environments.map((e) => e.config.name);
const targets = envs.flatMap((env) => [`network-${env}`, `infra-${env}`, `chart-${env}`]);
const publicEnvs = loadConfig({})
  .environments.filter((e) => e.config.network.access === "public")
  .map((e) => e.config.name);

describe("security/checkov-accepted.yaml", () => {
  it("gives every accepted check a known target and a reason, once per check", () => {
    expect(committed.length).toBeGreaterThan(0);
    for (const check of committed) {
      expect(check.targets.every((t) => targets.includes(t))).toBe(true);
      expect(check.reason.length).toBeGreaterThanOrEqual(20);
    }
    expect(new Set(committed.map((c) => c.id)).size).toBe(committed.length);
  });

  it("accepts public-mode checks only for the platform stacks of public-mode environments", () => {
    for (const check of committed.filter((c) => c.publicMode)) {
      expect(check.targets.filter((t) => !publicEnvs.some((env) => t === `infra-${env}`))).toEqual([]);
    }
  });

  it("accepts nothing for the chart: its failures are fixed, not accepted", () => {
    expect(committed.filter((c) => c.targets.some((t) => t.startsWith("chart-")))).toEqual([]);
  });

  it("accepts fewer checks in prod than across every environment, and never more in prod than in staging", () => {
    const count = (env: string) => committed.filter((c) => c.targets.includes(`infra-${env}`)).length;
    expect(count("prod")).toBeLessThan(committed.length);
    expect(count("prod")).toBeLessThanOrEqual(count("staging"));
    expect(count("staging")).toBeLessThanOrEqual(count("dev"));
  });
});

describe("the accepted file's rules", () => {
  it.each([
    ["an entry without a reason", "accepted:\n  - id: CKV_AZURE_6\n    targets: [infra-dev]\n", "accepted[0] (CKV_AZURE_6): reason must say why"],
    [
      "an id that is not a check id",
      "accepted:\n  - id: private-cluster\n    targets: [infra-dev]\n    reason: the runners are outside any network\n",
      "accepted[0] (private-cluster): id must be a checkov check id",
    ],
    [
      "a target that is not a scan target",
      "accepted:\n  - id: CKV_AZURE_6\n    targets: [prod]\n    reason: the runners are outside any network\n",
      "targets must be a non-empty list of scan targets",
    ],
    [
      "the same check twice",
      "accepted:\n  - id: CKV_AZURE_6\n    targets: [infra-dev]\n    reason: the runners are outside any network\n  - id: CKV_AZURE_6\n    targets: [infra-prod]\n    reason: the runners are outside any network\n",
      "accepted[1] (CKV_AZURE_6): id is listed twice",
    ],
    [
      "an unknown key",
      "accepted:\n  - id: CKV_AZURE_6\n    targets: [infra-dev]\n    reason: the runners are outside any network\n    until: 2026-01-01\n",
      "unknown keys until",
    ],
    ["no list at all", "CKV_AZURE_6: runners\n", 'needs a top-level list "accepted"'],
    [
      "publicMode other than true",
      "accepted:\n  - id: CKV_AZURE_6\n    targets: [infra-dev]\n    reason: the runners are outside any network\n    publicMode: false\n",
      "publicMode is either true or left out",
    ],
  ])("rejects %s", (_what, text, message) => {
    expect(() => parseAccepted(text)).toThrow(message);
  });

  it("names every problem of every entry at once, and two entries without an id are not one id listed twice", () => {
    const text = "accepted:\n  - null\n  - targets: [infra-dev]\n    reason: short\n    until: 2026-01-01\n";
    expect(() => parseAccepted(text, "f.yaml")).toThrow(
      new Error(
        [
          "f.yaml: accepted[0]: Invalid input: expected object, received null",
          "f.yaml: accepted[1]: id must be a checkov check id such as CKV_AZURE_6",
          "f.yaml: accepted[1]: reason must say why (at least 20 characters)",
          "f.yaml: accepted[1]: unknown keys until (allowed: id, targets, reason, publicMode)",
        ].join("\n"),
      ),
    );
  });
});

describe("the verdict", () => {
  const accepted: AcceptedCheck[] = [
    { id: "CKV_AZURE_6", targets: ["infra-dev", "infra-prod"], reason: "the runners are outside any network" },
    { id: "CKV_AZURE_170", targets: ["infra-dev"], reason: "the free tier in dev, for cost" },
  ];
  const report = (failed: string[], passed = 10) => ({
    summary: { passed, failed: failed.length, parsing_errors: 0 },
    results: {
      passed_checks: Array.from({ length: passed }, (_, i) => ({ check_id: `CKV_AZURE_${1000 + i}` })),
      failed_checks: failed.map((id) => ({ check_id: id, check_name: `check ${id}`, resource: "azurerm_x.y" })),
    },
  });

  it("counts accepted failures apart and passes when nothing else failed", () => {
    const v = judgeTarget("infra-dev", report(["CKV_AZURE_6", "CKV_AZURE_170"]), accepted);
    expect(v).toEqual(expect.objectContaining({ passed: 10, failed: [], stale: [] }));
    expect(v.accepted.map((f) => f.id)).toEqual(["CKV_AZURE_6", "CKV_AZURE_170"]);
  });

  it("fails a failure accepted for another target only", () => {
    const v = judgeTarget("infra-prod", report(["CKV_AZURE_6", "CKV_AZURE_170"]), accepted);
    expect(v.failed.map((f) => f.id)).toEqual(["CKV_AZURE_170"]);
  });

  it("calls an accepted check that passes stale", () => {
    expect(judgeTarget("infra-dev", report(["CKV_AZURE_6"]), accepted).stale).toEqual(["CKV_AZURE_170"]);
  });

  it("does not take an empty or unparsed report for a pass", () => {
    expect(judgeTarget("chart-dev", { summary: { passed: 0, failed: 0 } }, []).error).toMatch(/ran no check/);
    expect(judgeTarget("chart-dev", { ...report([]), summary: { parsing_errors: 1 } }, []).error).toMatch(/could not parse 1 file/);
    expect(judgeTarget("chart-dev", [report([]), report([])], []).error).toMatch(/not a single checkov report/);
  });

  it("is ok only when every target is clean and the list is within its limits", () => {
    const reports = new Map<string, unknown>([
      ["infra-dev", report(["CKV_AZURE_6", "CKV_AZURE_170"])],
      ["infra-prod", report(["CKV_AZURE_6"])],
    ]);
    expect(judge(reports, accepted).ok).toBe(true);
    reports.set("infra-prod", report(["CKV_AZURE_6", "CKV_AZURE_33"]));
    expect(judge(reports, accepted).ok).toBe(false);
  });

  it(`fails a list over the cap of ${ACCEPTED_CAP}, prod accepting as many as everything, and unknown targets`, () => {
    const many = Array.from({ length: ACCEPTED_CAP + 1 }, (_, i) => ({ id: `CKV_AZURE_${i + 1}`, targets: ["infra-dev"], reason: "a reason long enough" }));
    expect(listProblems(many, ["infra-dev"])).toEqual([
      `${ACCEPTED_CAP + 1} distinct accepted checks: the cap is ${ACCEPTED_CAP} across every target; fix a check instead of accepting it`,
    ]);
    expect(listProblems(many.slice(0, ACCEPTED_CAP), ["infra-dev"])).toEqual([]);
    expect(listProblems([{ id: "CKV_AZURE_6", targets: ["infra-prod"], reason: "a reason long enough" }], ["infra-prod"])).toEqual([
      "prod accepts 1 of 1 checks: prod must accept fewer than all targets together",
    ]);
    expect(listProblems(accepted, ["infra-dev"])).toEqual(["CKV_AZURE_6 is accepted for infra-prod, which the scan does not have (targets: infra-dev)"]);
  });

  it("counts checks of public access mode apart from the cap, and never accepts them for prod", () => {
    const many = Array.from({ length: ACCEPTED_CAP }, (_, i) => ({ id: `CKV_AZURE_${i + 1}`, targets: ["infra-dev"], reason: "a reason long enough" }));
    const publicMode = { id: "CKV_AZURE_139", targets: ["infra-dev"], reason: "public access mode is public by design", publicMode: true };
    expect(listProblems([...many, publicMode], ["infra-dev"])).toEqual([]);
    expect(listProblems([...many, { ...publicMode, targets: ["infra-dev", "infra-prod"] }], ["infra-dev", "infra-prod"])).toEqual([
      "CKV_AZURE_139 is accepted for public access mode in prod, whose policy requires private access",
    ]);
  });
});

describe("docs/security.md", () => {
  it("holds the accepted checks as generated from the file (npm run docs:generate)", () => {
    expect(committedPart(acceptedChecksPart)).toBe(acceptedChecksSection(committed, envs));
  });

  it("writes one row per accepted check, with its targets and full reason", () => {
    const section = acceptedChecksSection(committed, envs);
    for (const check of committed) expect(section).toContain(`| ${check.id} `);
    expect(section).toContain("| CKV_AZURE_165 registry geo-replication | dev, staging | ");
    expect(section).toContain("| CKV_AZURE_115 AKS private cluster | dev (public mode) | ");
    expect(() => acceptedChecksSection([{ id: "CKV_AZURE_1", targets: ["infra-dev"], reason: "a reason long enough" }], envs)).toThrow(
      "add a topic for CKV_AZURE_1",
    );
  });
});
