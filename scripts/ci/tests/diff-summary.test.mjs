// Behaviour of the pull-request diff summary (scripts/ci/diff-summary.mjs): counting, classification,
// the comment's shape and limits, and that no value from the JSON plan ever reaches the comment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { COMMENT_LIMIT, actionOf, summarizePlan, classify, stackResult, renderComment, sensitiveValues, environmentSecrets, redact } from "../diff-summary.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name) => readFileSync(join(here, "fixtures", name), "utf8");
const infraPlan = JSON.parse(fixture("plan-infra-changes.json"));
const quietPlan = JSON.parse(fixture("plan-no-changes.json"));
const infraPlanText = fixture("plan-infra-changes.txt");
const SECRETS = ["SECRET-ACCESS-KEY-VALUE", "SECRET-PASSWORD-VALUE"];
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

test("terraform action lists map to one action each", () => {
  const rc = (actions, extra = {}) => ({ address: "a.b", change: { actions }, ...extra });
  assert.equal(actionOf(rc(["create"])), "create");
  assert.equal(actionOf(rc(["update"])), "update");
  assert.equal(actionOf(rc(["delete"])), "delete");
  assert.equal(actionOf(rc(["delete", "create"])), "replace");
  assert.equal(actionOf(rc(["create", "delete"])), "replace");
  assert.equal(actionOf(rc(["read"])), "read");
  assert.equal(actionOf(rc(["forget"])), "forget");
  assert.equal(actionOf(rc(["no-op"])), "no-op");
  assert.equal(actionOf(rc(["no-op"], { previous_address: "a.old" })), "move");
  assert.equal(actionOf(rc(["no-op"], { change: { actions: ["no-op"], importing: { id: "/x" } } })), "import");
  assert.throws(() => actionOf(rc(["explode"])), /unknown terraform action list \[explode\] for a\.b/);
});

test("a plan is summarized by counts, addresses and actions, without data sources or no-ops", () => {
  const s = summarizePlan(infraPlan);
  assert.deepEqual(s.counts, { create: 1, update: 1, replace: 2, delete: 1, move: 0, import: 0, forget: 0 });
  assert.deepEqual(
    s.resources.map((r) => `${r.action} ${r.address}`),
    [
      "replace azuread_application_password.push_password_1234ABCD",
      "create azurerm_container_registry.registry_acr_9A8B7C6D",
      "update azurerm_kubernetes_cluster.cluster_aks_0A1B2C3D",
      "delete azurerm_role_assignment.old_pull_5555EEEE",
      "replace azurerm_storage_account.storage_account_5F6E7D8C",
    ],
  );
  assert.equal(s.outputs, 2, "created and updated outputs count, no-op outputs do not");
  assert.deepEqual(s.drift, ["azurerm_kubernetes_cluster.cluster_aks_0A1B2C3D"]);
  assert.deepEqual(s.atRisk, ["azurerm_storage_account.storage_account_5F6E7D8C"], "only stateful deletes/replaces");
  const serialized = JSON.stringify(s);
  for (const secret of SECRETS) assert.ok(!serialized.includes(secret), `summary leaks ${secret}`);
});

test("something that is not a JSON plan is refused", () => {
  assert.throws(() => summarizePlan({ resource_changes: [] }), /not a terraform JSON plan/);
  assert.throws(() => summarizePlan(null), /not a terraform JSON plan/);
});

test("a stack's status tells changes, no changes, a missing platform and failures apart", () => {
  const log = fixture("diff-remote-state-missing-output.log");
  assert.equal(classify({ stack: "infra-dev", exitCode: 0, summary: summarizePlan(infraPlan) }), "changes");
  assert.equal(classify({ stack: "mlflow-dev", exitCode: 0, summary: summarizePlan(quietPlan) }), "no-changes");
  assert.equal(classify({ stack: "mlflow-dev", platform: "missing" }), "platform-not-deployed");
  assert.equal(classify({ stack: "mlflow-dev", exitCode: 1, log }), "platform-outputs-pending");
  assert.equal(classify({ stack: "mlflow-prod", exitCode: 1, log: "Error: Unable to find remote state\nNo stored state was found" }), "platform-not-deployed");
  // The same errors in a platform stack are real failures: it reads no remote state.
  assert.equal(classify({ stack: "infra-dev", exitCode: 1, log }), "failed");
  assert.equal(classify({ stack: "infra-prod", exitCode: 1, log: fixture("diff-auth-failure.log") }), "failed");
  assert.equal(classify({ stack: "infra-dev", exitCode: 0, summary: null }), "failed", "exit 0 without a plan");
});

test("a stack result keeps the plan text only for changes and the log tail only for failures", () => {
  const changed = stackResult({ stack: "infra-dev", exitCode: 0, plan: infraPlan, planText: infraPlanText, log: "x" });
  assert.equal(changed.status, "changes");
  assert.equal(changed.env, "dev");
  assert.match(changed.planText, /Plan: 2 to add, 1 to change, 2 to destroy\./);
  assert.equal(changed.logTail, null);

  const failedLog = `${"noise\n".repeat(100)}\u001b[31mError: boom\u001b[0m\n`;
  const failed = stackResult({ stack: "infra-prod", exitCode: 1, log: failedLog });
  assert.equal(failed.status, "failed");
  assert.equal(failed.planText, null);
  assert.equal(failed.logTail.split("\n").length, 40, "last 40 lines");
  assert.match(failed.logTail, /Error: boom$/, "colour codes removed");

  assert.throws(() => stackResult({ stack: "infra_qa", exitCode: 0 }), /stack 'infra_qa' is not <kind>-<env>, e\.g\. infra-dev/);
  assert.equal(stackResult({ stack: "infra-qa", platform: "missing" }).env, "qa", "any environment of config/");
});

// Every stack in promotion order, as the diff workflow passes it (scripts/ci/stacks.mjs).
const EXPECTED = ["infra-dev", "mlflow-dev", "infra-staging", "mlflow-staging", "infra-prod", "mlflow-prod"];

function allResults() {
  return [
    stackResult({ stack: "mlflow-prod", platform: "missing" }),
    stackResult({ stack: "infra-prod", exitCode: 1, log: fixture("diff-auth-failure.log") }),
    stackResult({ stack: "mlflow-dev", exitCode: 1, log: fixture("diff-remote-state-missing-output.log") }),
    stackResult({ stack: "infra-dev", exitCode: 0, plan: infraPlan, planText: infraPlanText }),
    stackResult({ stack: "infra-staging", exitCode: 0, plan: quietPlan, planText: "No changes." }),
    stackResult({ stack: "mlflow-staging", exitCode: 0, plan: quietPlan, planText: "No changes." }),
  ];
}

test("the comment starts with its heading, lists every stack in promotion order and says what each means", () => {
  const body = renderComment(allResults(), { commit: COMMIT, imageDigest: `sha256:${"a".repeat(64)}`, expected: EXPECTED });
  assert.equal(body.split("\n")[0], "## cdktf diff of 0123456789ab");
  assert.match(body, new RegExp(`sha256:${"a".repeat(64)}`));
  const rows = body.split("\n").filter((line) => line.startsWith("| `"));
  assert.deepEqual(
    rows.map((row) => row.split("`")[1]),
    ["infra-dev", "mlflow-dev", "infra-staging", "mlflow-staging", "infra-prod", "mlflow-prod"],
  );
  assert.match(rows[0], /1 to add, 1 to change, 2 to replace, 1 to destroy, 2 outputs changed/);
  assert.match(rows[1], /waits for infra-dev: it reads platform outputs that are not deployed yet/);
  assert.match(rows[2], /no changes/);
  assert.match(rows[4], /\*\*diff failed\*\*/);
  assert.match(rows[5], /platform stack not deployed yet \(infra-prod has no state\)/);
  assert.match(body, /\[!WARNING\][\s\S]*azurerm_storage_account\.storage_account_5F6E7D8C/);
  assert.match(body, /drift[\s\S]*azurerm_kubernetes_cluster\.cluster_aks_0A1B2C3D/);
  assert.match(body, /403 This request is not authorized/, "a failure shows the end of its log");
  assert.doesNotMatch(body, /No result for/);
  for (const secret of SECRETS) assert.ok(!body.includes(secret), `comment leaks ${secret}`);
});

test("the comment names stacks without a result and the image source", () => {
  const body = renderComment(allResults().slice(0, 2), { commit: COMMIT, imageChanged: true, expected: EXPECTED });
  assert.match(body, /No result for: `infra-dev`, `mlflow-dev`, `infra-staging`, `mlflow-staging`/);
  assert.match(body, /the reviewed tag in `config\/` \(no build of main found\)/);
  assert.match(body, /changes `docker\/tracking-server\/`: merging builds a new image/);
  assert.throws(() => renderComment([], { commit: "main" }), /commit 'main' is not a git sha/);
  assert.throws(() => renderComment([], { commit: COMMIT, imageDigest: "sha256:`x` [link](http://x)" }), /image digest 'sha256:`x`.*' is not sha256:<64 hex>/);
  assert.throws(() => renderComment([], { commit: COMMIT, expected: ["infra-dev", "../x", "`y`"] }), /stacks '\.\.\/x', '`y`' are not <kind>-<env>/);
});

test("a plan text containing a code fence cannot break out of its block", () => {
  const body = renderComment(allResults(), { commit: COMMIT });
  const planBlock = body.slice(body.indexOf("<details><summary>Plan</summary>"));
  assert.match(planBlock, /^````text$/m, "fence longer than the ``` inside the plan");
});

test("huge plans are cut so the comment stays under GitHub's limit, keeping every stack's summary", () => {
  const hugeText = `${"  ~ resource line that changes\n".repeat(20000)}Plan: 0 to add, 20000 to change, 0 to destroy.\n`;
  const results = ["dev", "staging", "prod"].flatMap((env) => [
    stackResult({ stack: `infra-${env}`, exitCode: 0, plan: infraPlan, planText: hugeText }),
    stackResult({ stack: `mlflow-${env}`, exitCode: 0, plan: infraPlan, planText: hugeText }),
  ]);
  const body = renderComment(results, { commit: COMMIT });
  assert.ok(body.length <= COMMENT_LIMIT, `comment is ${body.length} characters`);
  assert.equal((body.match(/^### /gm) ?? []).length, 6, "a section per stack");
  assert.equal((body.match(/cut here: the full plan is in the job log/g) ?? []).length, 6);
});

test("the command line records a stack result, prints its status and renders the comment", () => {
  const script = join(here, "..", "diff-summary.mjs");
  const dir = mkdtempSync(join(tmpdir(), "diff-summary-"));
  const out = join(dir, "results", "diff-dev");
  mkdirSync(out, { recursive: true });
  const planFile = join(dir, "plan.json");
  writeFileSync(planFile, JSON.stringify(infraPlan));
  const textFile = join(dir, "plan.txt");
  writeFileSync(textFile, `${infraPlanText}  value = "SECRET-PASSWORD-VALUE"\n`);
  const logFile = join(dir, "diff.log");
  writeFileSync(logFile, "planned\n\u001b[1mprimary_access_key = SECRET-ACCESS-KEY-VALUE\u001b[0m\n");

  const run = (args) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
  const stack = run(["stack", "--stack", "infra-dev", "--out", out, "--exit-code", "0", "--log", logFile, "--plan-json", planFile, "--plan-text", textFile]);
  assert.equal(stack.status, 0, stack.stderr);
  assert.equal(stack.stdout, "changes\n");
  const recorded = JSON.parse(readFileSync(join(out, "infra-dev.json"), "utf8"));
  assert.equal(recorded.summary.counts.replace, 2);
  // The files that go into the diff artifact are scrubbed in place, like the comment.
  assert.equal(readFileSync(logFile, "utf8"), "planned\nprimary_access_key = (redacted)\n");
  assert.equal(readFileSync(textFile, "utf8"), `${infraPlanText}  value = "(redacted)"\n`);

  const pending = run(["stack", "--stack", "mlflow-dev", "--out", out, "--platform", "missing"]);
  assert.equal(pending.stdout, "platform-not-deployed\n");

  const comment = run(["comment", "--dir", join(dir, "results"), "--commit", COMMIT, "--image-changed"]);
  assert.equal(comment.status, 0, comment.stderr);
  assert.ok(comment.stdout.startsWith("## cdktf diff of "));
  assert.match(comment.stdout, /\| `mlflow-dev` \| ⚪ platform stack not deployed yet/);

  rmSync(dir, { recursive: true, force: true });
  const bad = run(["stack", "--stack", "infra-dev"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /diff-summary: ERROR: stack needs --stack and --out/);
  const unknown = run(["publish"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /usage: diff-summary\.mjs stack\|comment/);
});

test("values the plan marks sensitive, secret environment values and secret shapes never reach the comment", () => {
  assert.deepEqual(sensitiveValues(infraPlan).sort(), ["SECRET-ACCESS-KEY-VALUE", "SECRET-PASSWORD-VALUE"]);
  // Should terraform ever print them (an error, a provider bug), the plan text and the log tail are scrubbed.
  const leakyText = `${infraPlanText}\n  ~ primary_access_key = "SECRET-ACCESS-KEY-VALUE"\n  value = "SECRET-PASSWORD-VALUE"\n`;
  const changed = stackResult({ stack: "infra-dev", exitCode: 0, plan: infraPlan, planText: leakyText });
  assert.match(changed.planText, /primary_access_key = "\(redacted\)"/);
  const envSecret = "client-secret-from-the-environment";
  const log = [
    `Error: authenticating with client secret ${envSecret}`,
    "DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=c2VjcmV0a2V5dmFsdWU=;EndpointSuffix=core.windows.net",
    "Authorization: Bearer abc.def-ghi",
    "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
  ].join("\n");
  const secrets = environmentSecrets({ ARM_CLIENT_SECRET: envSecret, ARM_CLIENT_ID: "not-a-secret-id", GITHUB_TOKEN: "" });
  assert.deepEqual(secrets, [envSecret]);
  const failed = stackResult({ stack: "infra-prod", exitCode: 1, log, secrets });
  assert.match(failed.logTail, /AccountKey=\(redacted\);EndpointSuffix/);
  const body = renderComment([changed, failed], { commit: COMMIT });
  for (const secret of [...SECRETS, envSecret, "c2VjcmV0a2V5dmFsdWU=", "abc.def-ghi", "eyJhbGciOiJIUzI1NiJ9"]) {
    assert.ok(!body.includes(secret), `comment leaks ${secret}`);
  }
  const short = {
    output_changes: { port: { before: 443, before_sensitive: true }, key: { after: "-----BEGIN KEY-----\nMIIEabcdef\n", after_sensitive: true } },
  };
  assert.deepEqual(sensitiveValues(short), ["-----BEGIN KEY-----\nMIIEabcdef", "-----BEGIN KEY-----", "MIIEabcdef"], "each line, none under 6 characters");
  assert.equal(redact("  MIIEabcdef\n  port 443", sensitiveValues(short)), "  (redacted)\n  port 443");
});

test("a huge log or plan text makes a bounded record and comment", () => {
  const oneLine = "x".repeat(2_000_000);
  const failed = stackResult({ stack: "infra-dev", exitCode: 1, log: `${oneLine}\nError: boom\n` });
  assert.ok(failed.logTail.length <= 4000 && failed.logTail.endsWith("Error: boom"));
  const changed = stackResult({ stack: "infra-prod", exitCode: 0, plan: infraPlan, planText: `${oneLine}\n`.repeat(20) });
  assert.ok(changed.planText.length <= COMMENT_LIMIT);
  const body = renderComment([failed, changed], { commit: COMMIT });
  assert.ok(body.length <= COMMENT_LIMIT, `comment is ${body.length} characters`);
  assert.match(body, /### infra-dev[\s\S]*Error: boom/);
});

test("the command line names a missing, malformed or cut-short input file and never quotes it", () => {
  const script = join(here, "..", "diff-summary.mjs");
  const dir = mkdtempSync(join(tmpdir(), "diff-summary-bad-"));
  const run = (args, env = process.env) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8", env });
  const cut = join(dir, "plan.json");
  writeFileSync(cut, JSON.stringify(infraPlan).slice(0, 900));
  const out = join(dir, "out");
  let r = run(["stack", "--stack", "infra-dev", "--out", out, "--exit-code", "0", "--plan-json", cut]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /plan\.json is not JSON \(cut short/);
  for (const secret of SECRETS) assert.ok(!r.stderr.includes(secret));
  r = run(["stack", "--stack", "infra-dev", "--out", out, "--exit-code", "0", "--plan-json", join(dir, "nope.json")]);
  assert.match(r.stderr, /ENOENT.*nope\.json/);
  r = run(["stack", "--stack", "infra-dev", "--out", out, "--exit-code", "boom"]);
  assert.match(r.stderr, /--exit-code 'boom' is not an exit status \(0-255\)/);
  r = run(["stack", "--stack", "../x", "--out", out, "--platform", "missing"]);
  assert.match(r.stderr, /stack '\.\.\/x' is not <kind>-<env>/);
  assert.ok(!existsSync(out), "no record, not even a folder, for refused input");

  // A secret in the log, from the environment the diff ran in: scrubbed before it is recorded.
  const log = join(dir, "diff.log");
  writeFileSync(log, "Error: bad credentials s3cr3t-client-value\n");
  r = run(["stack", "--stack", "infra-dev", "--out", out, "--exit-code", "1", "--log", log], { ...process.env, ARM_CLIENT_SECRET: "s3cr3t-client-value" });
  assert.equal(r.stdout, "failed\n", r.stderr);
  const recorded = readFileSync(join(out, "infra-dev.json"), "utf8");
  assert.ok(!recorded.includes("s3cr3t-client-value"));
  assert.deepEqual(readdirSync(out), ["infra-dev.json"], "no temporary file left behind");

  // A record cut short (an interrupted copy) is named, not half-read.
  writeFileSync(join(out, "mlflow-dev.json"), '{"stack": "mlflow-dev", "sta');
  r = run(["comment", "--dir", out, "--commit", COMMIT]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /mlflow-dev\.json is not JSON/);
  writeFileSync(join(out, "mlflow-dev.json"), JSON.stringify({ stack: "infra-dev", status: "changes" }));
  r = run(["comment", "--dir", out, "--commit", COMMIT]);
  assert.match(r.stderr, /mlflow-dev\.json is not the result of stack mlflow-dev/);
  writeFileSync(join(out, "mlflow-dev.json"), JSON.stringify({ stack: "mlflow-dev", status: "exploded" }));
  r = run(["comment", "--dir", out, "--commit", COMMIT]);
  assert.match(r.stderr, /mlflow-dev\.json is not the result of stack mlflow-dev/);
  rmSync(dir, { recursive: true, force: true });
});
