// Judges checkov's reports (<reports-dir>/<target>.json, one per scan target) against security/checkov-accepted.yaml.
// checkov runs without --skip-check, so both ways fail: a failure not accepted, and an acceptance whose check no longer
// fails (stale: it would hide the check coming back).
//
//   node --import tsx scripts/checkov-verdict.ts <reports-dir> [accepted.yaml]
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** At most this many distinct accepted checks, fewer in prod; publicMode ones (public access by design) count apart. */
export const ACCEPTED_CAP = 8;

/** publicMode: fails only because the target's environment is in public access mode. */
export type AcceptedCheck = { id: string; targets: string[]; reason: string; publicMode?: boolean };
export type Finding = { id: string; resource: string; title: string };
/** failed: not accepted for this target; stale: accepted ids that did not fail; error: why the report is not trusted. */
export type TargetVerdict = { target: string; passed: number; failed: Finding[]; accepted: Finding[]; stale: string[]; error?: string };
export type Verdict = { targets: TargetVerdict[]; listProblems: string[]; ok: boolean };

const idRule = "id must be a checkov check id such as CKV_AZURE_6";
const targetsRule = "targets must be a non-empty list of scan targets such as network-dev, infra-prod or chart-dev";
const reasonRule = "reason must say why (at least 20 characters)";
const acceptedEntry = z.strictObject(
  {
    id: z.string(idRule).regex(/^CKV2?_[A-Z0-9]+_[0-9]+$/, idRule),
    targets: z
      .array(z.string(targetsRule).regex(/^(network|infra|chart|chart-frontdoor)-[a-z][a-z0-9]*$/, targetsRule), targetsRule)
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

/** Distinct check ids: under the cap, for public access mode only, and accepted in prod. */
function counts(checks: AcceptedCheck[]) {
  const distinct = (keep: (c: AcceptedCheck) => unknown) => new Set(checks.filter(keep).map((c) => c.id)).size;
  const inProd = (c: AcceptedCheck) => c.targets.some((t) => t.endsWith("-prod"));
  return { total: distinct((c) => !c.publicMode), publicMode: distinct((c) => c.publicMode), prod: distinct(inProd), inProd };
}

/** Problems of the list as a whole: over the cap, prod accepting as many as everything, public mode in prod, unknown targets. */
export function listProblems(checks: AcceptedCheck[], knownTargets: string[]): string[] {
  const { total, prod, inProd } = counts(checks);
  return [
    ...(total > ACCEPTED_CAP ? [`${total} distinct accepted checks: the cap is ${ACCEPTED_CAP} across every target; fix a check instead of accepting it`] : []),
    ...(total > 0 && prod >= total ? [`prod accepts ${prod} of ${total} checks: prod must accept fewer than all targets together`] : []),
    ...checks.filter((c) => c.publicMode && inProd(c)).map((c) => `${c.id} is accepted for public access mode in prod, whose policy requires private access`),
    ...checks.flatMap((c) => {
      const unknown = c.targets.filter((t) => !knownTargets.includes(t));
      return unknown.length ? [`${c.id} is accepted for ${unknown.join(", ")}, which the scan does not have (targets: ${knownTargets.join(", ")})`] : [];
    }),
  ];
}

type CheckovResult = { check_id: string; check_name?: string; resource?: string };
type CheckovReport = { summary?: { parsing_errors?: number }; results?: { passed_checks?: CheckovResult[]; failed_checks?: CheckovResult[] } };

/** One target's verdict from its checkov report (one framework per run, so one report object). */
export function judgeTarget(target: string, report: unknown, checks: AcceptedCheck[]): TargetVerdict {
  const verdict: TargetVerdict = { target, passed: 0, failed: [], accepted: [], stale: [] };
  const { summary, results: { passed_checks: passed = [], failed_checks: failed = [] } = {} } = (Array.isArray(report) ? {} : (report ?? {})) as CheckovReport;
  // A report without results means checkov found nothing to check (wrong file, wrong framework): not a pass.
  if (!summary) verdict.error = "not a single checkov report (expected one framework per run)";
  else if (passed.length + failed.length === 0) verdict.error = "checkov ran no check (nothing it recognised in the file)";
  else if (summary.parsing_errors) verdict.error = `checkov could not parse ${summary.parsing_errors} file(s)`;
  if (verdict.error) return verdict;
  const acceptedIds = new Set(checks.filter((c) => c.targets.includes(target)).map((c) => c.id));
  verdict.passed = passed.length;
  for (const f of failed) {
    (acceptedIds.has(f.check_id) ? verdict.accepted : verdict.failed).push({ id: f.check_id, resource: f.resource ?? "?", title: f.check_name ?? "" });
  }
  verdict.stale = [...acceptedIds].filter((id) => !failed.some((f) => f.check_id === id)).sort();
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
  const row = (target: string, ...cells: (string | number)[]) => target.padEnd(24) + cells.map((c, i) => String(c).padStart(i === 2 ? 10 : 8)).join("");
  const lines = [row("target", "passed", "failed", "accepted")];
  for (const t of verdict.targets) lines.push(row(t.target, t.passed, t.failed.length, t.accepted.length) + (t.error ? `  ERROR: ${t.error}` : ""));
  for (const t of verdict.targets) {
    for (const f of t.failed) lines.push(`FAILED  ${t.target}  ${f.id}  ${f.resource}  ${f.title}`);
    for (const id of t.stale)
      lines.push(`STALE   ${t.target}  ${id}  accepted but no longer failing: remove ${t.target} from its targets in security/checkov-accepted.yaml`);
  }
  for (const p of verdict.listProblems) lines.push(`LIST    ${p}`);
  const { total, prod, publicMode } = counts(checks);
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
  const files = fs
    .readdirSync(reportsDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const reports = new Map(files.map((f) => [path.basename(f, ".json"), JSON.parse(fs.readFileSync(path.join(reportsDir, f), "utf8")) as unknown]));
  if (reports.size === 0) {
    process.stderr.write(`no checkov reports in ${reportsDir}\n`);
    process.exit(1);
  }
  const verdict = judge(reports, checks);
  process.stdout.write(formatVerdict(verdict, checks).join("\n") + "\n");
  process.exit(verdict.ok ? 0 : 1);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`checkov-verdict: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
