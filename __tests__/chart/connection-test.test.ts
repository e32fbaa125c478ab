// `helm test`: the chart's test Job runs files/connection-test.py against the tracking server's Service. Here the
// rendered Pod is checked to run exactly that file, and the file is run against a real MLflow server on loopback
// (the pinned MLflow of the e2e venv), a closed port, and a server whose API fails.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../support/tools";
import { CHART_DIR, helmTemplate } from "./helm";

const SCRIPT = join(CHART_DIR, "files", "connection-test.py");
const VENV_BIN = join(REPO_ROOT, ".tools", "venvs", "e2e", "bin");

function venvTool(name: string): string {
  const path = join(VENV_BIN, name);
  if (!existsSync(path)) throw new Error(`${name} is not installed in .tools/venvs/e2e: run npm run tools`);
  return path;
}

function runScript(url: string) {
  return spawnSync(venvTool("python"), [SCRIPT], {
    encoding: "utf8",
    env: { MLFLOW_TRACKING_URI: url, CONNECTION_TEST_TIMEOUT_SECONDS: "5" },
    timeout: 30_000,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`MLflow at ${url} did not answer /health within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("the test Job is a helm test hook whose pod runs files/connection-test.py against the Service URL", () => {
  const r = helmTemplate(["-s", "templates/tracking_server/connection-test-job.yaml"]);
  expect(r.stderr).toBe("");
  const job = parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .find((m) => m?.kind === "Job");
  expect(job.metadata.annotations["helm.sh/hook"]).toBe("test");
  const pod = job.spec.template;
  const container = pod.spec.containers[0];
  expect(container.command).toEqual(["python3", "-c", readFileSync(SCRIPT, "utf8")]);
  expect(container.env).toEqual([{ name: "MLFLOW_TRACKING_URI", value: "http://mlflow-tracking-server.mlflow.svc.cluster.local:5000" }]);
  expect(pod.spec.automountServiceAccountToken).toBe(false);
});

describe("against a real MLflow server on loopback", () => {
  let server: ChildProcess;
  let work: string;
  let url: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "mlflow-connection-test-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(
      venvTool("mlflow"),
      [
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--workers",
        "1",
        "--backend-store-uri",
        `sqlite:///${join(work, "mlflow.db")}`,
        "--artifacts-destination",
        join(work, "artifacts"),
      ],
      // Its own process group, so the uvicorn workers stop with it.
      { cwd: work, env: { ...process.env, HOME: work, MLFLOW_DISABLE_TELEMETRY: "true" }, stdio: "ignore", detached: true },
    );
    await waitForHealth(url, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
    // MLflow's job consumers (huey) can outlive the server for a while: nothing of the group may stay behind.
    try {
      if (server?.pid) process.kill(-server.pid, "SIGKILL");
    } catch {
      // the group is gone already
    }
    rmSync(work, { recursive: true, force: true });
  });

  test("passes: /health answers OK and the API lists the Default experiment", () => {
    const r = runScript(url);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`ok ${url}/health`);
    expect(r.stdout).toContain("experiments/search (1 experiment(s) on the first page)");
    expect(r.status).toBe(0);
  });
});

test("fails with the address and the reason when nothing listens", async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const r = runScript(url);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`FAIL ${url}/health: .*refused`, "i"));
});

test("fails when /health is fine but the API (the backend store) is not", async () => {
  const stub: Server = createServer((req, res) => {
    if (req.url === "/health") res.end("OK");
    else res.writeHead(500).end('{"error_code": "INTERNAL_ERROR", "message": "database unreachable"}');
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  try {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(venvTool("python"), [SCRIPT], { env: { MLFLOW_TRACKING_URI: url, CONNECTION_TEST_TIMEOUT_SECONDS: "5" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.stdout).toContain(`ok ${url}/health`);
    expect(r.stderr).toContain(`FAIL ${url}/api/2.0/mlflow/experiments/search: HTTP 500`);
    expect(r.stderr).toContain("database unreachable");
    expect(r.status).toBe(1);
  } finally {
    await new Promise((resolve) => stub.close(resolve));
  }
});
