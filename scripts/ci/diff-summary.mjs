#!/usr/bin/env node
// Turns `cdktf diff` results into one pull-request comment with a section per stack (diff.yml posts it).
//   diff-summary.mjs stack --stack S --out DIR [--platform missing] [--platform-stack P] [--exit-code N --log FILE]
//       [--plan-json FILE --plan-text FILE]     writes DIR/S.json and prints its status
//   diff-summary.mjs comment --dir DIR --commit SHA [--stacks "S1 S2 ..."] [--image-digest D] [--image-changed]
//       prints the comment made of every DIR/**/<stack>.json; --stacks: every stack expected, in the order shown
// Of the JSON plan (sensitive values in clear) only addresses, types and actions are kept. The plan text and the log
// tail are scrubbed of sensitive plan values, secret-named environment variables' values and secret shapes.
import { readFileSync, writeFileSync, readdirSync, mkdirSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

// GitHub refuses comments longer than 65536 characters; keep a margin.
export const COMMENT_LIMIT = 60000;
// <kind>-<environment>, the rule of scripts/lib/stack-name.sh.
const STACK_PATTERN = /^[a-z]+-[a-z][a-z0-9]{1,9}$/;
const MAX_LISTED_RESOURCES = 60;
// Resources whose destruction loses data or a running platform: a reviewer must see these first.
const STATEFUL_TYPE =
  /^(azurerm_(resource_group|kubernetes_cluster|container_registry|storage_(account|share|container)|managed_disk)|kubernetes_(persistent_volume(_claim)?|namespace)(_v1)?|helm_release)$/;

/** The one action a resource change amounts to, from terraform's `change.actions` list. */
export function actionOf(rc) {
  const key = (rc.change?.actions ?? []).join(",");
  if (key === "no-op" || key === "") return rc.previous_address ? "move" : rc.change?.importing ? "import" : "no-op";
  if (key === "delete,create" || key === "create,delete") return "replace";
  if (!["create", "update", "delete", "read", "forget"].includes(key)) throw new Error(`unknown terraform action list [${key}] for ${rc.address}`);
  return key;
}

/** Counts and lists what a plan (terraform show -json) would do, without any attribute value. */
export function summarizePlan(plan) {
  if (!plan || typeof plan !== "object" || !("format_version" in plan)) throw new Error("not a terraform JSON plan (no format_version)");
  const managed = (changes) => (changes ?? []).filter((rc) => rc.mode !== "data");
  const resources = managed(plan.resource_changes)
    .map((rc) => ({ address: rc.address, type: rc.type, action: actionOf(rc), reason: rc.action_reason ?? null }))
    .filter((r) => r.action !== "no-op" && r.action !== "read")
    .sort((a, b) => a.address.localeCompare(b.address));
  const counts = { create: 0, update: 0, replace: 0, delete: 0, move: 0, import: 0, forget: 0 };
  for (const r of resources) counts[r.action] += 1;
  const outputs = Object.values(plan.output_changes ?? {}).filter((oc) => (oc.actions ?? []).join(",") !== "no-op").length;
  const drift = managed(plan.resource_drift).map((rc) => rc.address);
  const atRisk = resources.filter((r) => (r.action === "delete" || r.action === "replace") && STATEFUL_TYPE.test(r.type)).map((r) => r.address);
  return { counts, resources, outputs, drift: drift.sort(), atRisk };
}

// eslint-disable-next-line no-control-regex -- terminal colour codes start with the ESC control character
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

// changes | no-changes: the plan ran; platform-not-deployed: a stack it reads outputs from has no state yet;
// platform-outputs-pending: it reads an output the deployed platform does not have yet; failed: anything else.
export function classify({ stack, platform, exitCode, log, summary }) {
  if (platform === "missing") return "platform-not-deployed";
  if (exitCode === 0 && summary) return Object.values(summary.counts).reduce((sum, n) => sum + n, summary.outputs) > 0 ? "changes" : "no-changes";
  const text = stack.startsWith("mlflow-") && log ? stripAnsi(log) : "";
  if (/No stored state was found|Unable to find remote state/i.test(text)) return "platform-not-deployed";
  if (/Unsupported attribute/.test(text) && /terraform_remote_state/.test(text)) return "platform-outputs-pending";
  return "failed";
}

const REDACTED = "(redacted)";
// Shorter values (true, 443, dev) would scrub ordinary words; no key or password is this short.
const MIN_SECRET_LENGTH = 6;
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
  const changes = [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])].map((rc) => rc.change ?? {});
  for (const change of [...changes, ...Object.values(plan.output_changes ?? {})])
    ["before", "after"].forEach((side) => walk(change[side], change[`${side}_sensitive`]));
  for (const [name, variable] of Object.entries(plan.variables ?? {})) walk(variable.value, plan.configuration?.root_module?.variables?.[name]?.sensitive);
  return [...found].filter((value) => value.length >= MIN_SECRET_LENGTH);
}

/** The values of secret-named environment variables (ARM_CLIENT_SECRET, GITHUB_TOKEN, ...), to scrub from logs. */
export const environmentSecrets = (env) =>
  Object.entries(env).flatMap(([name, value]) => (/SECRET|TOKEN|PASSWORD|ACCESS_KEY/.test(name) && value?.length >= MIN_SECRET_LENGTH ? [value] : []));

export function redact(text, secrets) {
  const clean = [...secrets].sort((a, b) => b.length - a.length).reduce((t, secret) => t.replaceAll(secret, REDACTED), text);
  return SECRET_SHAPES.reduce((t, [shape, replacement]) => t.replace(shape, replacement), clean);
}

/** Removes colours, the plan's sensitive values, the given secrets and secret shapes from a text. */
export const scrubber = (plan, secrets) => (text) => redact(stripAnsi(text), [...secrets, ...(plan ? sensitiveValues(plan) : [])]);

/** One stack's result record, as written to <out>/<stack>.json; `scrub` for texts that are scrubbed already. */
export function stackResult({ stack, platform, platformStack, exitCode, log, plan, planText, secrets = [], scrub = scrubber(plan, secrets) }) {
  if (!STACK_PATTERN.test(stack)) throw new Error(`stack '${stack}' is not <kind>-<env>, e.g. infra-dev`);
  const summary = exitCode === 0 && plan ? summarizePlan(plan) : null;
  const status = classify({ stack, platform, exitCode, log, summary });
  const env = stack.slice(stack.indexOf("-") + 1);
  return {
    stack,
    env,
    // The stack this one reads outputs from (the first it depends on); infra-<env> when not given.
    platformStack: platformStack ?? `infra-${env}`,
    status,
    summary,
    // Nothing past the comment's limit is ever shown: a huge plan makes no huge record.
    planText: status === "changes" && planText ? scrub(planText).trim().slice(0, COMMENT_LIMIT) : null,
    // The last 40 lines, at most 4000 characters; scrubbed before cutting: a secret split by the cut would not match.
    logTail: status === "failed" && log ? scrub(log).trimEnd().split("\n").slice(-40).join("\n").slice(-4000) : null,
  };
}

function countsLine({ counts: c, outputs }) {
  const parts = [`${c.create} to add`, `${c.update} to change`, `${c.replace} to replace`, `${c.delete} to destroy`];
  parts.push(...["move", "import", "forget"].filter((extra) => c[extra] > 0).map((extra) => `${c[extra]} to ${extra}`));
  if (outputs > 0) parts.push(`${outputs} output${outputs === 1 ? "" : "s"} changed`);
  return parts.join(", ");
}

// What each status says, with its icon, in the table and under the stack's heading.
const STATUS = {
  changes: (r) => `🟡 ${countsLine(r.summary)}`,
  "no-changes": () => "🟢 no changes",
  "platform-not-deployed": (r) => `⚪ platform stack not deployed yet (${r.platformStack} has no state): nothing to diff`,
  "platform-outputs-pending": (r) => `⚪ waits for ${r.platformStack}: it reads platform outputs that are not deployed yet`,
  failed: () => "🔴 **diff failed**",
};

function clip(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.slice(0, Math.max(0, limit));
  return `${cut.slice(0, cut.lastIndexOf("\n") + 1)}… (cut here: the full plan is in the job log and the diff artifact)\n`;
}

const callout = (kind, intro, addresses) => (addresses.length > 0 ? [`> [!${kind}]`, `> ${intro}:`, ...addresses.map((a) => `> - \`${a}\``), ""] : []);
const details = (summary, body, open = "") => [`<details${open}><summary>${summary}</summary>`, "", ...body, "", "</details>", ""];

function codeBlock(summary, text, open) {
  // A fence longer than any backtick run inside the text.
  const fence = "`".repeat(Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  return details(summary, [`${fence}text`, text.trimEnd(), fence], open);
}

function stackSection(result, planBudget) {
  const lines = [`### ${result.stack}`, "", STATUS[result.status](result), ""];
  const s = result.summary;
  if (s) {
    lines.push(...callout("WARNING", "Destroys or replaces resources that hold data or run the platform", s.atRisk));
    lines.push(...callout("NOTE", "Changed outside Terraform since the last deployment (drift)", s.drift.slice(0, MAX_LISTED_RESOURCES)));
  }
  if (s?.resources.length > 0) {
    const listed = s.resources
      .slice(0, MAX_LISTED_RESOURCES)
      .map((r) => `- ${r.action}: \`${r.address}\`${r.reason ? ` (${r.reason.replaceAll("_", " ")})` : ""}`);
    const more = s.resources.length > MAX_LISTED_RESOURCES ? [`- … and ${s.resources.length - MAX_LISTED_RESOURCES} more`] : [];
    lines.push(...details(`Resources (${s.resources.length})`, [...listed, ...more]));
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
  // In the expected order; stacks nobody expected after them, by environment, then name.
  const rank = (r) => (expected.includes(r.stack) ? expected.indexOf(r.stack) : expected.length);
  const sorted = [...results].sort((a, b) => rank(a) - rank(b) || a.env.localeCompare(b.env) || a.stack.localeCompare(b.stack));
  const missing = expected.filter((stack) => !sorted.some((r) => r.stack === stack));
  const header = [
    `## cdktf diff of ${commit.slice(0, 12)}`,
    "",
    "Each stack planned against the state it has in its environment (read-only: no lock, nothing applied).",
    `Tracking-server image in these plans: ${imageDigest ? `\`${imageDigest}\` (the newest build of main)` : "the reviewed tag in `config/` (no build of main found)"}.`,
    imageChanged && "This pull request changes `docker/tracking-server/`: merging builds a new image, and every mlflow stack will change its image digest.",
    "",
    "| Stack | Result |",
    "| --- | --- |",
    ...sorted.map((r) => `| \`${r.stack}\` | ${STATUS[r.status](r)} |`),
    missing.length > 0 && `\nNo result for: ${missing.map((s) => `\`${s}\``).join(", ")} (their diff job did not finish; see the workflow run).`,
    "",
  ]
    .filter((line) => line !== false)
    .join("\n");
  // Sections without their plans first; the plans share what is left of the limit (200 characters each for
  // their fence and summary). When the sections alone overflow, there are no plans and the tail is cut.
  const bare = `${header}\n${sorted.map((r) => stackSection({ ...r, planText: null }, 0)).join("\n")}`;
  const plans = sorted.filter((r) => r.planText).length;
  const budget = Math.floor((COMMENT_LIMIT - bare.length - 200 * plans) / plans);
  if (plans === 0 || budget <= 0) return clip(bare, COMMENT_LIMIT);
  return `${header}\n${sorted.map((r) => stackSection(r, budget)).join("\n")}`;
}

/** A file's content or JSON, or an error that names the file (node names no file too large for a string) and never quotes it. */
function readInput(file, json = false) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${file} cannot be read: ${error.message}`, { cause: error });
  }
  try {
    return json ? JSON.parse(text) : text;
  } catch {
    // Not the parser's message: it quotes the text, and a plan holds secrets.
    throw new Error(`${file} is not JSON (cut short, or not written by terraform show -json / this script)`);
  }
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

/** Replaces a file by renaming a complete temporary one over it. */
function writeWhole(file, text) {
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

function main([command, ...rest]) {
  const valued = ["stack", "out", "platform", "platform-stack", "exit-code", "log", "plan-json", "plan-text", "dir", "commit", "stacks", "image-digest"];
  const options = { ...Object.fromEntries(valued.map((name) => [name, { type: "string" }])), "image-changed": { type: "boolean" } };
  const { values: args } = parseArgs({ args: rest, options });
  if (command === "stack") {
    if (!args.stack || !args.out) throw new Error("stack needs --stack and --out");
    const code = args["exit-code"];
    if (code !== undefined && !/^\d{1,3}$/.test(code)) throw new Error(`--exit-code '${code}' is not an exit status (0-255)`);
    const read = (option, json) => (args[option] ? readInput(args[option], json) : null);
    const plan = read("plan-json", true);
    // The log and plan text go into the diff artifact too: scrubbed once, in place, for it and for the record.
    const scrub = scrubber(plan, environmentSecrets(process.env));
    const [log, planText] = ["log", "plan-text"].map((option) => (args[option] ? scrub(readInput(args[option])) : null));
    if (log !== null) writeWhole(args.log, log);
    if (planText !== null) writeWhole(args["plan-text"], planText);
    const exitCode = code === undefined ? null : Number(code);
    const result = stackResult({ ...args, platformStack: args["platform-stack"], exitCode, log, plan, planText, scrub: (text) => text });
    mkdirSync(args.out, { recursive: true });
    // Written whole or not at all (and last): the comment takes every <stack>.json it finds as a finished result.
    writeWhole(join(args.out, `${args.stack}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${result.status}\n`);
  } else if (command === "comment") {
    if (!args.dir || !args.commit) throw new Error("comment needs --dir and --commit");
    const expected = (args.stacks ?? "").split(/\s+/).filter(Boolean);
    process.stdout.write(
      renderComment(readResults(args.dir), { commit: args.commit, imageDigest: args["image-digest"] || null, imageChanged: args["image-changed"], expected }),
    );
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
