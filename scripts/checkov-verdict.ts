// Judges checkov's reports against the one accepted-checks file, security/checkov-accepted.yaml.
//
//   node --import tsx scripts/checkov-verdict.ts <reports-dir> [accepted.yaml]
//
// <reports-dir> holds one checkov JSON report per scan target, named <target>.json (infra-dev, chart-prod, ...).
// checkov runs without --skip-check, so this can tell both ways: a failure that is not accepted fails the scan, and
// so does an acceptance whose check no longer fails (stale: it would hide the check coming back).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/**
 * The cap: at most this many distinct accepted checks across every target, and fewer in prod. Checks that fail only
 * because an environment is in public access mode (config network.access, public by design) are marked publicMode and
 * counted apart: they may not target prod, whose policy requires private access.
 */
export const ACCEPTED_CAP = 8;

export interface AcceptedCheck {
  id: string;
  targets: string[];
  reason: string;
  /** Fails only because the target's environment is in public access mode. */
  publicMode?: boolean;
}

export interface Finding {
  id: string;
  resource: string;
  title: string;
}

export interface TargetVerdict {
  target: string;
  passed: number;
  /** Failures that are not accepted for this target. */
  failed: Finding[];
  /** Failures accepted for this target. */
  accepted: Finding[];
  /** Check ids accepted for this target that did not fail. */
  stale: string[];
  /** Why the report cannot be trusted (no resources, parse errors), if so. */
  error?: string;
}

export interface Verdict {
  targets: TargetVerdict[];
  /** Problems of the accepted list as a whole (cap, unknown targets). */
  listProblems: string[];
  ok: boolean;
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_[0-9]+$/;
const TARGET = /^(network|infra|chart|chart-frontdoor)-[a-z][a-z0-9]*$/;

const idRule = "id must be a checkov check id such as CKV_AZURE_6";
const targetsRule = "targets must be a non-empty list of scan targets such as network-dev, infra-prod or chart-dev";
const reasonRule = "reason must say why (at least 20 characters)";
const acceptedEntry = z.strictObject(
  {
    id: z.string(idRule).regex(CHECK_ID, idRule),
    targets: z
      .array(z.string(targetsRule).regex(TARGET, targetsRule), targetsRule)
      .min(1, targetsRule)
      .refine((targets) => new Set(targets).size === targets.length, "targets repeat an entry"),
    reason: z.string(reasonRule).refine((reason) => reason.trim().length >= 20, reasonRule),
    publicMode: z.literal(true, "publicMode is either true or left out").optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown keys ${issue.keys.join(", ")} (allowed: id, targets, reason, publicMode)` : undefined) },
);

/** Reads and checks the accepted file; throws one error naming every broken entry and rule. */
export function parseAccepted(text: string, source = "security/checkov-accepted.yaml"): AcceptedCheck[] {
  const entries = (parse(text) as { accepted?: unknown } | null)?.accepted;
  if (!Array.isArray(entries)) throw new Error(`${source}: needs a top-level list "accepted"`);
  const problems = new Set<string>();
  const seen = new Set<unknown>();
  entries.forEach((entry: any, i: number) => {
    const id: unknown = entry?.id;
    const where = `${source}: accepted[${i}]${typeof id === "string" ? ` (${id})` : ""}`;
    for (const issue of acceptedEntry.safeParse(entry).error?.issues ?? []) problems.add(`${where}: ${issue.message}`);
    if (typeof id === "string" && seen.has(id)) problems.add(`${where}: id is listed twice; list each check once with all its targets`);
    seen.add(id);
  });
  if (problems.size > 0) throw new Error([...problems].join("\n"));
  return entries as AcceptedCheck[];
}

/**
 * Problems of the list as a whole: at most ACCEPTED_CAP distinct checks across every target, fewer accepted in prod
 * than across everything, known targets only.
 */
export function listProblems(checks: AcceptedCheck[], knownTargets: string[]): string[] {
  const problems: string[] = [];
  const total = new Set(checks.filter((c) => !c.publicMode).map((c) => c.id)).size;
  const prod = new Set(checks.filter((c) => c.targets.some((t) => t.endsWith("-prod"))).map((c) => c.id)).size;
  if (total > ACCEPTED_CAP)
    problems.push(`${total} distinct accepted checks: the cap is ${ACCEPTED_CAP} across every target; fix a check instead of accepting it`);
  if (total > 0 && prod >= total) problems.push(`prod accepts ${prod} of ${total} checks: prod must accept fewer than all targets together`);
  for (const check of checks.filter((c) => c.publicMode && c.targets.some((t) => t.endsWith("-prod")))) {
    problems.push(`${check.id} is accepted for public access mode in prod, whose policy requires private access`);
  }
  for (const check of checks) {
    const unknown = check.targets.filter((t) => !knownTargets.includes(t));
    if (unknown.length > 0)
      problems.push(`${check.id} is accepted for ${unknown.join(", ")}, which the scan does not have (targets: ${knownTargets.join(", ")})`);
  }
  return problems;
}

interface CheckovResult {
  check_id: string;
  check_name?: string;
  resource?: string;
}
interface CheckovReport {
  summary?: { passed?: number; failed?: number; parsing_errors?: number; resource_count?: number };
  results?: { passed_checks?: CheckovResult[]; failed_checks?: CheckovResult[] };
}

/** One target's verdict from its checkov report (one framework per run, so one report object). */
export function judgeTarget(target: string, report: unknown, checks: AcceptedCheck[]): TargetVerdict {
  const acceptedIds = new Set(checks.filter((c) => c.targets.includes(target)).map((c) => c.id));
  const verdict: TargetVerdict = { target, passed: 0, failed: [], accepted: [], stale: [] };
  const r = (Array.isArray(report) ? undefined : report) as CheckovReport | undefined;
  if (!r?.summary) {
    verdict.error = "not a single checkov report (expected one framework per run)";
    return verdict;
  }
  // A report without results means checkov found nothing to check (wrong file, wrong framework): not a pass.
  const checked = (r.results?.passed_checks?.length ?? 0) + (r.results?.failed_checks?.length ?? 0);
  if (!r.results || checked === 0) {
    verdict.error = "checkov ran no check (nothing it recognised in the file)";
    return verdict;
  }
  if (r.summary.parsing_errors) {
    verdict.error = `checkov could not parse ${r.summary.parsing_errors} file(s)`;
    return verdict;
  }
  verdict.passed = r.results.passed_checks?.length ?? 0;
  const failedIds = new Set<string>();
  for (const f of r.results.failed_checks ?? []) {
    const finding = { id: f.check_id, resource: f.resource ?? "?", title: f.check_name ?? "" };
    failedIds.add(f.check_id);
    (acceptedIds.has(f.check_id) ? verdict.accepted : verdict.failed).push(finding);
  }
  verdict.stale = [...acceptedIds].filter((id) => !failedIds.has(id)).sort();
  return verdict;
}

export function judge(reports: Map<string, unknown>, checks: AcceptedCheck[]): Verdict {
  // Network stacks, then platform stacks, then charts; environments in name order.
  const order = (t: string) => `${t.startsWith("network-") ? 0 : t.startsWith("infra-") ? 1 : 2}${t}`;
  const names = [...reports.keys()].sort((a, b) => order(a).localeCompare(order(b)));
  const targets = names.map((t) => judgeTarget(t, reports.get(t), checks));
  const problems = listProblems(checks, [...reports.keys()]);
  const ok = problems.length === 0 && targets.every((t) => !t.error && t.failed.length === 0 && t.stale.length === 0);
  return { targets, listProblems: problems, ok };
}

export function formatVerdict(verdict: Verdict, checks: AcceptedCheck[]): string[] {
  const lines: string[] = [];
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  lines.push(`${"target".padEnd(24)}${pad("passed", 8)}${pad("failed", 8)}${pad("accepted", 10)}`);
  for (const t of verdict.targets) {
    lines.push(`${t.target.padEnd(24)}${pad(t.passed, 8)}${pad(t.failed.length, 8)}${pad(t.accepted.length, 10)}${t.error ? `  ERROR: ${t.error}` : ""}`);
  }
  for (const t of verdict.targets) {
    for (const f of t.failed) lines.push(`FAILED  ${t.target}  ${f.id}  ${f.resource}  ${f.title}`);
    for (const id of t.stale)
      lines.push(`STALE   ${t.target}  ${id}  accepted but no longer failing: remove ${t.target} from its targets in security/checkov-accepted.yaml`);
  }
  for (const p of verdict.listProblems) lines.push(`LIST    ${p}`);
  const total = new Set(checks.filter((c) => !c.publicMode).map((c) => c.id)).size;
  const publicMode = new Set(checks.filter((c) => c.publicMode).map((c) => c.id)).size;
  const prod = new Set(checks.filter((c) => c.targets.some((t) => t.endsWith("-prod"))).map((c) => c.id)).size;
  lines.push(`accepted list: ${total} distinct checks (cap ${ACCEPTED_CAP}), ${prod} of them in prod; ${publicMode} more for public access mode only`);
  const sum = (f: (t: TargetVerdict) => number) => verdict.targets.reduce((n, t) => n + f(t), 0);
  lines.push(`scan: ${sum((t) => t.passed)} passed, ${sum((t) => t.failed.length)} failed (${sum((t) => t.accepted.length)} accepted)`);
  return lines;
}

function main(): void {
  const [reportsDir, acceptedFile = path.resolve(__dirname, "..", "security", "checkov-accepted.yaml")] = process.argv.slice(2);
  if (!reportsDir) {
    process.stderr.write("usage: checkov-verdict.ts <reports-dir> [accepted.yaml]\n");
    process.exit(2);
  }
  const checks = parseAccepted(fs.readFileSync(acceptedFile, "utf8"));
  const reports = new Map<string, unknown>();
  for (const file of fs
    .readdirSync(reportsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    reports.set(path.basename(file, ".json"), JSON.parse(fs.readFileSync(path.join(reportsDir, file), "utf8")));
  }
  if (reports.size === 0) {
    process.stderr.write(`no checkov reports in ${reportsDir}\n`);
    process.exit(1);
  }
  const verdict = judge(reports, checks);
  process.stdout.write(formatVerdict(verdict, checks).join("\n") + "\n");
  process.exit(verdict.ok ? 0 : 1);
}

if (require.main === module) main();
