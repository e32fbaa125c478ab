// npm run test:docs (scripts/docs-commands.mjs) on a small project of its own: a block that hangs fails with a timeout
// naming its doc and line (and is ended with what it started), a skip without a reason fails, an offline block runs,
// an interrupt stops the block and leaves no scratch copy.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/project";

const fence = "```";
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-docs-test-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.mkdirSync(path.join(dir, "docs"));
  fs.copyFileSync(path.join(repoRoot, "scripts/docs-commands.mjs"), path.join(dir, "scripts/docs-commands.mjs"));
  const block = (marker: string, code: string) => `<!-- docs-commands: ${marker} -->\n${fence}sh\n${code}\n${fence}\n`;
  fs.writeFileSync(path.join(dir, "README.md"), `# probe\n\n${block("offline", "test -f README.md")}`);
  fs.writeFileSync(path.join(dir, "docs/hang.md"), `# hang\n\n${block("offline", 'pwd >"${PROBE_FILE:-/dev/null}"\nsleep 300 &\nsleep 300')}`);
  fs.writeFileSync(path.join(dir, "docs/skip.md"), `# skip\n\n${block("skip", "az login")}\n${block("skip, needs Azure", "az login")}`);
  spawnSync("git", ["init", "-q"], { cwd: dir });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runDocs(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["scripts/docs-commands.mjs"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeout: 60_000,
  });
}

test("a hanging block times out naming its doc and line; a skip without a reason fails; the rest runs", () => {
  const started = Date.now();
  const result = runDocs({ DOCS_COMMANDS_TIMEOUT: "1" });
  // The block's background sleep is ended too: otherwise its open output would hold the run for 300 s.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(result.stdout).toContain("docs: ok   README.md:4");
  expect(result.stdout).toContain("docs: FAIL docs/hang.md:4");
  expect(result.stderr).toContain("docs/hang.md:4: timed out after 1 s");
  expect(result.stderr).toContain("docs/skip.md:4: marked skip without a reason");
  expect(result.stderr).not.toContain("docs/skip.md:9");
  expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("docs: 1 passed, 2 failed");
  expect(result.status).toBe(1);
});

test("refuses a timeout that is not a positive number of seconds", () => {
  const result = runDocs({ DOCS_COMMANDS_TIMEOUT: "soon" });
  expect(result.stderr.trim()).toBe('docs: DOCS_COMMANDS_TIMEOUT must be a number of seconds above 0, not "soon"');
  expect(result.status).toBe(2);
});

test.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
])("on %s it stops the running block and removes its scratch copy", async (signal, code) => {
  const probe = path.join(dir, `scratch-${signal}`);
  const child = spawn(process.execPath, ["scripts/docs-commands.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PROBE_FILE: probe },
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 20_000;
  while (!(fs.existsSync(probe) && fs.readFileSync(probe, "utf8")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const scratch = fs.readFileSync(probe, "utf8").trim();
  expect(fs.existsSync(scratch)).toBe(true);
  const stopped = Date.now();
  child.kill(signal as NodeJS.Signals);
  expect(await exited).toBe(code);
  expect(Date.now() - stopped).toBeLessThan(10_000);
  expect(fs.existsSync(scratch)).toBe(false);
});
