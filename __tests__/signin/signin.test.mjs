// The front door tested for real on loopback (npm run test:signin, inside __tests__/signin/run.sh's private network
// namespace): oauth2-proxy built from its Go module runs with the flags the chart renders, in front of the tracking
// server run with the options the chart renders, against an Entra ID stand-in issuing signed tokens; headless
// Chromium signs in, the MLflow client logs a run with a bearer token, and bad tokens are refused.
// Prints one line: `signin: N passed, M failed`.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { renderFrontDoor } from "./chart.mjs";
import { startIdp } from "./idp.mjs";

const repo = process.env.REPO_ROOT;
const python = process.env.SIGNIN_PYTHON;
const proxyBin = process.env.SIGNIN_OAUTH2_PROXY;
const browserBin = process.env.SIGNIN_CHROMIUM;
const artifacts = join(repo, "test-artifacts", "signin");
const host = "mlflow.signin.test"; // 127.0.0.1 in the namespace's /etc/hosts (run.sh)
const idpHost = "login.signin.test"; // 127.0.0.2
const state = mkdtempSync(join(tmpdir(), "signin-"));
mkdirSync(artifacts, { recursive: true });

const alice = { oid: "0c1d5a9e-1111-4c3b-9a55-0000000000a1", upn: "alice@contoso.example", name: "Alice", groups: [] };
const mallory = { oid: "0c1d5a9e-2222-4c3b-9a55-0000000000b2", upn: "mallory@contoso.example", name: "Mallory", groups: [] };

const children = [];
const results = [];
const started = Date.now();
const log = (msg) => process.stderr.write(`[signin] ${((Date.now() - started) / 1000).toFixed(1)}s ${msg}\n`);

async function test(name, fn) {
  try {
    await fn();
    results.push(true);
    log(`PASS ${name}`);
  } catch (err) {
    results.push(false);
    log(`FAIL ${name}: ${err.stack ?? err}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function start(name, cmd, args, env = {}) {
  const out = openSync(join(state, `${name}.log`), "a");
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
}

/** HTTPS GET through the front door; resolves to { status, headers, body }. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, ca: readFileSync(join(state, "tls.crt")) }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Requests the tracking server has answered so far (uvicorn's access log): a refusal must not reach it. */
function serverRequests() {
  return (readFileSync(join(state, "mlflow.log"), "utf8").match(/"(GET|POST|PUT|PATCH|DELETE) \//g) ?? []).length;
}

/** Runs fn and fails if any request reached the tracking server meanwhile. */
async function neverReachesServer(fn) {
  const before = serverRequests();
  await fn();
  await new Promise((r) => setTimeout(r, 500));
  const reached = serverRequests() - before;
  assert(reached === 0, `${reached} request(s) went through to the tracking server`);
}

async function waitFor(name, probe, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      throw new Error(`${name} not ready in ${seconds}s:\n${readFileSync(join(state, `${name}.log`), "utf8").slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

function waitForHttp(name, url) {
  return waitFor(
    name,
    () =>
      new Promise((resolve) => {
        const req = request(url, { rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(true);
        });
        req.on("error", () => resolve(false));
        req.end();
      }),
  );
}

async function main() {
  // One certificate for both loopback names (the Gateway's and Entra ID's in production).
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=signin test",
      "-addext",
      `subjectAltName=DNS:${host},DNS:${idpHost}`,
      "-keyout",
      join(state, "tls.key"),
      "-out",
      join(state, "tls.crt"),
    ],
    { stdio: "ignore" },
  );

  const chart = renderFrontDoor({ repo, helm: process.env.SIGNIN_HELM, host, authorityHost: `https://${idpHost}` });
  const tenantId = chart.proxyArgs.find((a) => a.startsWith("--oidc-issuer-url=")).split("/")[3];
  const clientId = chart.proxyArgs.find((a) => a.startsWith("--client-id=")).slice("--client-id=".length);
  const allowedGroup = chart.proxyArgs.find((a) => a.startsWith("--allowed-group=")).slice("--allowed-group=".length);
  alice.groups = ["9f0e0000-0000-4000-8000-00000000000f", allowedGroup];
  mallory.groups = ["9f0e0000-0000-4000-8000-00000000000f"];
  const builtVersion = execFileSync(proxyBin, ["--version"], { encoding: "utf8" }).split(" ")[1];
  assert(chart.proxyImage.endsWith(`:${builtVersion}`), `the chart's oauth2-proxy image ${chart.proxyImage} is not the tested ${builtVersion}`);

  const idp = await startIdp({
    address: "127.0.0.2",
    host: idpHost,
    tenantId,
    clientId,
    user: alice,
    certFile: join(state, "tls.crt"),
    keyFile: join(state, "tls.key"),
  });

  // The tracking server with the chart's options; SQLite and a local folder stand in for MySQL and blob storage
  // (the end-to-end test covers those): this test is about who gets in. One worker instead of the chart's: on a busy
  // 2-core machine uvicorn's supervisor kills workers that start slowly, and who gets in does not depend on it.
  // The Service's DNS name maps to 127.0.0.1.
  const serverOptions = chart.serverOptions
    .replace(/--artifacts-destination '[^']*'/, `--artifacts-destination '${join(state, "artifacts")}'`)
    .replace(/--workers \d+/, "--workers 1");
  assert(serverOptions.includes("--workers 1") && serverOptions.includes(`,${host}'`), `unexpected server options: ${serverOptions}`);
  start("mlflow", "sh", ["-ec", `exec mlflow server ${serverOptions}`], {
    PATH: `${join(python, "..")}:${process.env.PATH}`,
    MLFLOW_BACKEND_STORE_URI: `sqlite:///${join(state, "mlflow.db")}`,
    MLFLOW_DISABLE_TELEMETRY: "true",
    HOME: state,
  });
  await waitFor("mlflow", async () => (await fetch(`${chart.upstream}health`)).ok);
  log("tracking server up");

  // oauth2-proxy with the chart's flags. Changed: it serves HTTPS itself on 127.0.0.1:443 (the Gateway terminates
  // TLS in the cluster) and reads the cookie secret from this test's file. The projected service-account token of
  // workload identity is a token of the stand-in (it accepts any client assertion; the test checks one was sent).
  writeFileSync(join(state, "cookie-secret"), "signin-test-cookie-secret-32chr!", { mode: 0o600 });
  writeFileSync(join(state, "federated-token"), await idp.accessToken(alice));
  const args = chart.proxyArgs
    .filter((a) => !a.startsWith("--http-address=") && !a.startsWith("--cookie-secret-file="))
    .concat([
      "--https-address=127.0.0.1:443",
      `--tls-cert-file=${join(state, "tls.crt")}`,
      `--tls-key-file=${join(state, "tls.key")}`,
      `--cookie-secret-file=${join(state, "cookie-secret")}`,
    ]);
  start("oauth2-proxy", proxyBin, args, {
    SSL_CERT_FILE: join(state, "tls.crt"),
    AZURE_FEDERATED_TOKEN_FILE: join(state, "federated-token"),
  });
  await waitForHttp("oauth2-proxy", `https://${host}/ping`);
  log("oauth2-proxy up");
  const api = `https://${host}/api/2.0/mlflow/experiments/search?max_results=5`;
  const json = { Accept: "application/json" };

  await test("no credentials, browser: redirected to Entra ID sign-in", () =>
    neverReachesServer(async () => {
      const res = await get(`https://${host}/`, { Accept: "text/html" });
      assert(res.status === 302, `status ${res.status}`);
      assert(res.headers.location.startsWith(`${idp.issuer}/authorize?`), `redirect to ${res.headers.location}`);
      assert(res.headers.location.includes(`client_id=${clientId}`), "the sign-in request names the application");
      assert(res.headers.location.includes("code_challenge_method=S256"), "the sign-in uses PKCE");
    }));

  await test("no credentials, API client: 401", () =>
    neverReachesServer(async () => {
      const res = await get(api, json);
      assert(res.status === 401, `status ${res.status}`);
      const plain = await get(api); // the MLflow client sends no Accept header: the API route still answers 401
      assert(plain.status === 401, `status without Accept: ${plain.status}`);
    }));

  const browser = await chromium.launch({ executablePath: browserBin, headless: true });
  try {
    await test("browser sign-in through Entra ID ends on the MLflow UI", async () => {
      idp.setUser(alice);
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`https://${host}/`, { waitUntil: "load", timeout: 90000 });
      assert(page.url().startsWith(`https://${host}/`), `ended on ${page.url()}`);
      await page.getByText("Experiments").first().waitFor({ timeout: 90000 });
      // The Default experiment in the list: the UI's own API calls (/ajax-api/) went through with the sign-in cookie.
      await page.getByRole("link", { name: "Default", exact: true }).first().waitFor({ timeout: 90000 });
      assert((await page.title()).includes("MLflow"), `page title ${await page.title()}`);
      await page.screenshot({ path: join(artifacts, "mlflow-ui-after-sign-in.png"), fullPage: true });
      const redeem = idp.tokenRequests.find((r) => r.grant_type === "authorization_code");
      assert(redeem, "oauth2-proxy never redeemed the sign-in code");
      assert(
        redeem.client_assertion_type === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "the code was redeemed without the workload identity assertion",
      );
      assert(!("client_secret" in redeem), "a client secret was sent");
      await context.close();
    });

    await test("browser sign-in of a user outside the allowed groups: 403", async () => {
      idp.setUser(mallory);
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await neverReachesServer(async () => {
        const res = await page.goto(`https://${host}/`, { waitUntil: "load", timeout: 90000 });
        assert(res.status() === 403, `final status ${res.status()} at ${page.url()}`);
      });
      await page.screenshot({ path: join(artifacts, "refused-outside-allowed-groups.png") });
      await context.close();
      idp.setUser(alice);
    });
  } finally {
    await browser.close();
  }

  await test("valid bearer token: the MLflow client logs a run (MLFLOW_TRACKING_TOKEN)", async () => {
    const token = await idp.accessToken(alice);
    const runId = execFileSync(python, [join(repo, "__tests__", "signin", "log_run.py")], {
      encoding: "utf8",
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: `https://${host}`,
        MLFLOW_TRACKING_TOKEN: token,
        REQUESTS_CA_BUNDLE: join(state, "tls.crt"),
        HOME: state,
        MLFLOW_DISABLE_TELEMETRY: "true",
      },
    })
      .trim()
      .split("\n")
      .pop();
    // Read back past the front door, straight from the server.
    const res = await fetch(`${chart.upstream}api/2.0/mlflow/runs/get?run_id=${runId}`);
    const run = (await res.json()).run;
    assert(
      run?.data.params.some((p) => p.key === "entry"),
      `run ${runId} not found on the server`,
    );
    const artifactList = await (await fetch(`${chart.upstream}api/2.0/mlflow/artifacts/list?run_id=${runId}`)).json();
    assert(
      artifactList.files?.some((f) => f.path === "note.txt"),
      "the artifact did not arrive",
    );
    const proxyLog = readFileSync(join(state, "oauth2-proxy.log"), "utf8");
    assert(proxyLog.includes(alice.upn) && proxyLog.includes("/api/2.0/mlflow/runs/create"), "oauth2-proxy's request log does not name who created the run");
  });

  const refused = (token, expected) =>
    neverReachesServer(async () => {
      const res = await get(api, { ...json, Authorization: `Bearer ${token}` });
      assert(res.status === expected, `status ${res.status}, expected ${expected}`);
    });
  await test("expired bearer token: 401", async () => refused(await idp.accessToken(alice, { expiresIn: -120 }), 401));
  await test("bearer token for another audience: 401", async () => refused(await idp.accessToken(alice, { aud: "api://some-other-application" }), 401));
  await test("bearer token from another issuer: 401", async () =>
    refused(await idp.accessToken(alice, { iss: `https://${idpHost}/0f0f0f0f-0000-4000-8000-000000000000/v2.0` }), 401));
  await test("bearer token signed by an unknown key: 401", async () => refused(await idp.forgedToken(alice), 401));
  await test("bearer token of a user outside the allowed groups: 403", async () => refused(await idp.accessToken(mallory), 403));

  await idp.close();
}

try {
  await main();
} catch (err) {
  results.push(false);
  log(`FAIL setup: ${err.stack ?? err}`);
} finally {
  stopAll();
}
const passed = results.filter(Boolean).length;
console.log(`signin: ${passed} passed, ${results.length - passed} failed`);
process.exitCode = results.length > 0 && passed === results.length ? 0 : 1;
