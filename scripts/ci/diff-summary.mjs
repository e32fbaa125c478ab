#!/usr/bin/env node
// Turns `cdktf diff` results into one pull-request comment with a section per stack.
//
//   node scripts/ci/diff-summary.mjs stack --stack S --out DIR [--platform missing] [--platform-stack P]
//        [--exit-code N --log FILE] [--plan-json FILE --plan-text FILE]
//     records one stack's result in DIR/S.json and prints its status word
//   node scripts/ci/diff-summary.mjs comment --dir DIR --commit SHA [--stacks "S1 S2 ..."] [--image-digest D] [--image-changed]
//     prints the comment body built from every DIR/**/<stack>.json; --stacks: every stack expected, in the order
//     to show them (promotion order, scripts/ci/stacks.mjs), so that a stack without a result is named;
//     diff.yml posts it with marocchino/sticky-pull-request-comment, which updates the one comment per PR
//
// From the JSON plan it keeps only resource addresses, types and actions: that file carries sensitive values
// in clear. The plan text it quotes is terraform's own rendering, which masks sensitive values; as a second
// guard, the plan text and the log tail are scrubbed of every value the JSON plan marks sensitive, of the values
// of secret-named environment variables, and of secrets in the shapes Azure and HTTP print them.
import { readFileSync, writeFileSync, readdirSync, mkdirSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

// GitHub refuses comments longer than 65536 characters; keep a margin.
export const COMMENT_LIMIT = 60000;
// <kind>-<environment>; the environments are data (config/environments), not a list here.
const STACK_PATTERN = /^[a-z]+-[a-z][a-z0-9]{1,9}$/;
const LOG_TAIL_LINES = 40;
const LOG_TAIL_CHARS = 4000;
const MAX_LISTED_RESOURCES = 60;

// Resources whose destruction loses data or a running platform: a reviewer must see these first.
const STATEFUL_TYPES = new Set([
  "azurerm_resource_group",
  "azurerm_kubernetes_cluster",
  "azurerm_container_registry",
  "azurerm_storage_account",
  "azurerm_storage_share",
  "azurerm_storage_container",
  "azurerm_managed_disk",
  "kubernetes_persistent_volume",
  "kubernetes_persistent_volume_claim",
  "kubernetes_persistent_volume_claim_v1",
  "kubernetes_persistent_volume_v1",
  "kubernetes_namespace",
  "kubernetes_namespace_v1",
  "helm_release",
]);

/** The one action a resource change amounts to, from terraform's `change.actions` list. */
export function actionOf(resourceChange) {
  const key = (resourceChange.change?.actions ?? []).join(",");
  if (key === "no-op" || key === "") {
    if (resourceChange.previous_address) return "move";
    if (resourceChange.change?.importing) return "import";
    return "no-op";
  }
  if (key === "delete,create" || key === "create,delete") return "replace";
  if (!["create", "update", "delete", "read", "forget"].includes(key)) throw new Error(`unknown terraform action list [${key}] for ${resourceChange.address}`);
  return key;
}

/** Counts and lists what a plan (terraform show -json) would do, without any attribute value. */
export function summarizePlan(plan) {
  if (!plan || typeof plan !== "object" || !("format_version" in plan)) {
    throw new Error("not a terraform JSON plan (no format_version)");
  }
  const counts = { create: 0, update: 0, replace: 0, delete: 0, move: 0, import: 0, forget: 0 };
  const resources = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const action = actionOf(rc);
    if (action === "no-op" || action === "read") continue;
    counts[action] += 1;
    resources.push({ address: rc.address, type: rc.type, action, reason: rc.action_reason ?? null });
  }
  resources.sort((a, b) => a.address.localeCompare(b.address));
  const outputs = Object.values(plan.output_changes ?? {}).filter((oc) => (oc.actions ?? []).join(",") !== "no-op").length;
  const drift = (plan.resource_drift ?? [])
    .filter((rc) => rc.mode !== "data")
    .map((rc) => rc.address)
    .sort();
  const atRisk = resources.filter((r) => (r.action === "delete" || r.action === "replace") && STATEFUL_TYPES.has(r.type)).map((r) => r.address);
  return { counts, resources, outputs, drift, atRisk };
}

// eslint-disable-next-line no-control-regex -- terminal colour codes start with the ESC control character
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const stripAnsi = (text) => text.replace(ANSI, "");

/**
 * The status of one stack's diff:
 *   changes | no-changes                the plan ran
 *   platform-not-deployed               mlflow-<env> while infra-<env> has no state yet
 *   platform-outputs-pending            mlflow-<env> reads an infra output the deployed platform does not have yet
 *   failed                              anything else that stopped the plan
 */
export function classify({ stack, platform, exitCode, log, summary }) {
  if (platform === "missing") return "platform-not-deployed";
  if (exitCode === 0 && summary) {
    const changed = Object.values(summary.counts).reduce((sum, n) => sum + n, summary.outputs);
    return changed > 0 ? "changes" : "no-changes";
  }
  if (stack.startsWith("mlflow-") && log) {
    const text = stripAnsi(log);
    if (/No stored state was found|Unable to find remote state/i.test(text)) return "platform-not-deployed";
    if (/Unsupported attribute/.test(text) && /terraform_remote_state/.test(text)) return "platform-outputs-pending";
  }
  return "failed";
}

function tail(text) {
  return stripAnsi(text).trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n").slice(-LOG_TAIL_CHARS);
}

const REDACTED = "(redacted)";
// Shorter values (true, 443, dev) would scrub ordinary words; no key or password is this short.
const MIN_SECRET_LENGTH = 6;
const SECRET_VARIABLE = /SECRET|TOKEN|PASSWORD|ACCESS_KEY/;
const SECRET_SHAPES = [
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|client_secret|sig)=[^;&\s"']+/gi, `$1=${REDACTED}`],
  [/\bBearer\s+[\w.~+/-]+=*/g, `Bearer ${REDACTED}`],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, REDACTED],
];

/** Every value the plan marks sensitive (the *_sensitive masks beside before/after), and each line of it. */
export function sensitiveValues(plan) {
  const found = new Set();
  const leaves = (value) => (value && typeof value === "object" ? Object.values(value).flatMap(leaves) : [String(value)]);
  const walk = (value, mask) => {
    if (mask === true) for (const leaf of leaves(value)) [leaf, ...leaf.split("\n")].forEach((v) => found.add(v.trim()));
    else if (mask && typeof mask === "object" && value && typeof value === "object") for (const key of Object.keys(mask)) walk(value[key], mask[key]);
  };
  for (const change of [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])]
    .map((rc) => rc.change ?? {})
    .concat(Object.values(plan.output_changes ?? {}))) {
    walk(change.before, change.before_sensitive);
    walk(change.after, change.after_sensitive);
  }
  for (const [name, variable] of Object.entries(plan.variables ?? {})) walk(variable.value, plan.configuration?.root_module?.variables?.[name]?.sensitive);
  return [...found].filter((value) => value.length >= MIN_SECRET_LENGTH);
}

/** The values of secret-named environment variables (ARM_CLIENT_SECRET, GITHUB_TOKEN, ...), to scrub from logs. */
export function environmentSecrets(env) {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value);
}

export function redact(text, secrets) {
  let clean = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) clean = clean.replaceAll(secret, REDACTED);
  for (const [shape, replacement] of SECRET_SHAPES) clean = clean.replace(shape, replacement);
  return clean;
}

/** One stack's result record, as written to <out>/<stack>.json. */
export function stackResult({ stack, platform, platformStack, exitCode, log, plan, planText, secrets = [] }) {
  if (!STACK_PATTERN.test(stack)) throw new Error(`stack '${stack}' is not <kind>-<env>, e.g. infra-dev`);
  const summary = exitCode === 0 && plan ? summarizePlan(plan) : null;
  const status = classify({ stack, platform, exitCode, log, summary });
  const env = stack.slice(stack.indexOf("-") + 1);
  const scrub = (text) => redact(text, [...secrets, ...(plan ? sensitiveValues(plan) : [])]);
  return {
    stack,
    env,
    // The stack this one reads outputs from (the first it depends on); infra-<env> when not given.
    platformStack: platformStack ?? `infra-${env}`,
    status,
    summary,
    // Nothing past the comment's limit is ever shown: a huge plan makes no huge record.
    planText: status === "changes" && planText ? scrub(stripAnsi(planText).trim()).slice(0, COMMENT_LIMIT) : null,
    // Scrubbed before cutting: a secret split by the cut would no longer match.
    logTail: status === "failed" && log ? tail(scrub(log)) : null,
  };
}

function countsLine(summary) {
  const c = summary.counts;
  const parts = [`${c.create} to add`, `${c.update} to change`, `${c.replace} to replace`, `${c.delete} to destroy`];
  for (const extra of ["move", "import", "forget"]) {
    if (c[extra] > 0) parts.push(`${c[extra]} to ${extra}`);
  }
  if (summary.outputs > 0) parts.push(`${summary.outputs} output${summary.outputs === 1 ? "" : "s"} changed`);
  return parts.join(", ");
}

// Each status's icon and what it says in the table and under the stack's heading.
const STATUS = {
  changes: ["🟡", (r) => countsLine(r.summary)],
  "no-changes": ["🟢", () => "no changes"],
  "platform-not-deployed": ["⚪", (r) => `platform stack not deployed yet (${r.platformStack} has no state): nothing to diff`],
  "platform-outputs-pending": ["⚪", (r) => `waits for ${r.platformStack}: it reads platform outputs that are not deployed yet`],
  failed: ["🔴", () => "**diff failed**"],
};

function resultLine(result) {
  if (!Object.hasOwn(STATUS, result.status)) throw new Error(`unknown status ${result.status} of ${result.stack}`);
  const [icon, say] = STATUS[result.status];
  return `${icon} ${say(result)}`;
}

/** In the expected order; stacks nobody expected after them, by environment, then name. */
function stackOrder(expected) {
  const rank = (r) => (expected.includes(r.stack) ? expected.indexOf(r.stack) : expected.length);
  return (a, b) => rank(a) - rank(b) || a.env.localeCompare(b.env) || a.stack.localeCompare(b.stack);
}

function fence(text) {
  // A fence longer than any backtick run inside the text.
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

function clip(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.slice(0, Math.max(0, limit));
  return `${cut.slice(0, cut.lastIndexOf("\n") + 1)}… (cut here: the full plan is in the job log and the diff artifact)\n`;
}

const callout = (kind, intro, addresses) => (addresses.length > 0 ? [`> [!${kind}]`, `> ${intro}:`, ...addresses.map((a) => `> - \`${a}\``), ""] : []);

function codeBlock(summary, text, open = "") {
  const f = fence(text);
  return [`<details${open}><summary>${summary}</summary>`, "", `${f}text`, text.trimEnd(), f, "", "</details>", ""];
}

function stackSection(result, planBudget) {
  const lines = [`### ${result.stack}`, "", resultLine(result), ""];
  const s = result.summary;
  if (s) {
    lines.push(...callout("WARNING", "Destroys or replaces resources that hold data or run the platform", s.atRisk));
    lines.push(...callout("NOTE", "Changed outside Terraform since the last deployment (drift)", s.drift.slice(0, MAX_LISTED_RESOURCES)));
  }
  if (s && s.resources.length > 0) {
    lines.push(`<details><summary>Resources (${s.resources.length})</summary>`, "");
    for (const r of s.resources.slice(0, MAX_LISTED_RESOURCES)) {
      const reason = r.reason ? ` (${r.reason.replaceAll("_", " ")})` : "";
      lines.push(`- ${r.action}: \`${r.address}\`${reason}`);
    }
    if (s.resources.length > MAX_LISTED_RESOURCES) {
      lines.push(`- … and ${s.resources.length - MAX_LISTED_RESOURCES} more`);
    }
    lines.push("", "</details>", "");
  }
  if (result.planText) lines.push(...codeBlock("Plan", clip(result.planText, planBudget)));
  if (result.logTail) lines.push(...codeBlock("End of the log", result.logTail, " open"));
  return lines.join("\n");
}

/** The whole comment: a table of every stack, then a section per stack; always under COMMENT_LIMIT. */
export function renderComment(results, { commit, imageDigest = null, imageChanged = false, expected = [] }) {
  if (!/^[0-9a-f]{7,40}$/.test(commit ?? "")) throw new Error(`commit '${commit}' is not a git sha`);
  // Both are quoted into the comment's Markdown: nothing but what their rule allows.
  if (imageDigest && !/^sha256:[0-9a-f]{64}$/.test(imageDigest)) throw new Error(`image digest '${imageDigest}' is not sha256:<64 hex>`);
  const misnamed = expected.filter((stack) => !STACK_PATTERN.test(stack));
  if (misnamed.length > 0) throw new Error(`stacks ${misnamed.map((s) => `'${s}'`).join(", ")} are not <kind>-<env>, e.g. infra-dev`);
  const sorted = [...results].sort(stackOrder(expected));
  const head = [
    `## cdktf diff of ${commit.slice(0, 12)}`,
    "",
    "Each stack planned against the state it has in its environment (read-only: no lock, nothing applied).",
  ];
  if (imageDigest) {
    head.push(`Tracking-server image in these plans: \`${imageDigest}\` (the newest build of main).`);
  } else {
    head.push("Tracking-server image in these plans: the reviewed tag in `config/` (no build of main found).");
  }
  if (imageChanged) {
    head.push("This pull request changes `docker/tracking-server/`: merging builds a new image, and every mlflow stack will change its image digest.");
  }
  head.push("", "| Stack | Result |", "| --- | --- |");
  for (const r of sorted) head.push(`| \`${r.stack}\` | ${resultLine(r)} |`);
  const missing = expected.filter((stack) => !sorted.some((r) => r.stack === stack));
  if (missing.length > 0) {
    head.push("", `No result for: ${missing.map((s) => `\`${s}\``).join(", ")} (their diff job did not finish; see the workflow run).`);
  }
  head.push("");

  const header = head.join("\n");
  // Sections without their plans first; the plans share what is left of the limit (200 characters each for
  // their fence and summary). When the sections alone overflow, there are no plans and the tail is cut.
  const bare = `${header}\n${sorted.map((r) => stackSection({ ...r, planText: null }, 0)).join("\n")}`;
  const plans = sorted.filter((r) => r.planText).length;
  const budget = Math.floor((COMMENT_LIMIT - bare.length - 200 * plans) / plans);
  if (plans === 0 || budget <= 0) return clip(bare, COMMENT_LIMIT);
  return `${header}\n${sorted.map((r) => stackSection(r, budget)).join("\n")}`;
}

// Every <stack>.json below DIR, in path order (each diff job's artifact is downloaded into a subfolder).
function readResults(dir) {
  return readdirSync(dir, { recursive: true })
    .sort()
    .filter((path) => path.endsWith(".json") && STACK_PATTERN.test(basename(path, ".json")))
    .map((path) => {
      const result = readInput(join(dir, path), true);
      if (result?.stack === basename(path, ".json") && Object.hasOwn(STATUS, result.status)) return result;
      throw new Error(`${join(dir, path)} is not the result of stack ${basename(path, ".json")} (no such stack or status in it)`);
    });
}

/** A file's content, or JSON, or an error that names the file (and never quotes it: a plan holds secrets). */
function readInput(file, json = false) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    // Also a file too large for one string (about 512 MB), which node reports without its name.
    throw new Error(`${file} cannot be read: ${error.message}`, { cause: error });
  }
  try {
    return json ? JSON.parse(text) : text;
  } catch {
    throw new Error(`${file} is not JSON (cut short, or not written by terraform show -json / this script)`);
  }
}

function main(argv) {
  const [command, ...rest] = argv;
  const valued = ["stack", "out", "platform", "platform-stack", "exit-code", "log", "plan-json", "plan-text", "dir", "commit", "stacks", "image-digest"];
  const options = { ...Object.fromEntries(valued.map((name) => [name, { type: "string" }])), "image-changed": { type: "boolean" } };
  const { values: args } = parseArgs({ args: rest, options });
  if (command === "stack") {
    if (!args.stack || !args.out) throw new Error("stack needs --stack and --out");
    if (args["exit-code"] !== undefined && !/^\d{1,3}$/.test(args["exit-code"]))
      throw new Error(`--exit-code '${args["exit-code"]}' is not an exit status (0-255)`);
    const exitCode = args["exit-code"] === undefined ? null : Number(args["exit-code"]);
    const result = stackResult({
      stack: args.stack,
      platform: args.platform,
      platformStack: args["platform-stack"],
      exitCode,
      log: args.log ? readInput(args.log) : null,
      plan: args["plan-json"] ? readInput(args["plan-json"], true) : null,
      planText: args["plan-text"] ? readInput(args["plan-text"]) : null,
      secrets: environmentSecrets(process.env),
    });
    mkdirSync(args.out, { recursive: true });
    // Written whole or not at all: the comment takes every <stack>.json it finds as a finished result.
    const file = join(args.out, `${args.stack}.json`);
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(`${file}.${process.pid}.tmp`, file);
    process.stdout.write(`${result.status}\n`);
  } else if (command === "comment") {
    if (!args.dir || !args.commit) throw new Error("comment needs --dir and --commit");
    const body = renderComment(readResults(args.dir), {
      commit: args.commit,
      imageDigest: args["image-digest"] || null,
      imageChanged: Boolean(args["image-changed"]),
      expected: (args.stacks ?? "").split(/\s+/).filter(Boolean),
    });
    process.stdout.write(body);
  } else {
    throw new Error("usage: diff-summary.mjs stack|comment [options] (see the head of the file)");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`diff-summary: ERROR: ${error.message}\n`);
    process.exit(2);
  }
}
