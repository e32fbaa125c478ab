// Build once, deploy many, for the image: the layout built in the pipeline is pushed into an environment's
// registry and the registry then serves exactly the digest the stacks were synthesized with.
// Runs real crane (npm run tools) against crane's own registry on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const toolsBin = join(repo, ".tools", "bin");
const crane = join(toolsBin, "crane");
const env = { ...process.env, PATH: `${toolsBin}:${process.env.PATH}` };
let registry;
let server;
let work;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env, ...options });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function must(cmd, args, options) {
  const r = run(cmd, args, options);
  assert.equal(r.code, 0, `${cmd} ${args.join(" ")} failed: ${r.err}`);
  return r.out.trim();
}

async function waitForRegistry(address, deadline = Date.now() + 15000) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://${address}/v2/`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`crane registry on ${address} did not answer within 15 s`);
}

before(async () => {
  assert.ok(existsSync(crane), `crane is missing at ${crane}: install it with 'npm run tools' (group actionlint)`);
  const port = await freePort();
  registry = `127.0.0.1:${port}`;
  server = spawn(crane, ["registry", "serve", "--address", registry], { stdio: "ignore" });
  await waitForRegistry(registry);
  work = mkdtempSync(join(tmpdir(), "push-image-"));
});

after(() => {
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** An image built the way the pipeline stores it: a single-manifest OCI layout directory. */
function buildLayout(name, content) {
  const file = join(work, `${name}.txt`);
  writeFileSync(file, content);
  const layer = join(work, `${name}.tar`);
  must("tar", ["-cf", layer, "-C", work, `${name}.txt`]);
  const source = `${registry}/build/${name}:src`;
  must(crane, ["append", "--oci-empty-base", "-f", layer, "-t", source]);
  const layout = join(work, `${name}-layout`);
  must(crane, ["pull", "--format", "oci", source, layout]);
  const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8"));
  return { layout, digest: index.manifests[0].digest };
}

const pushImage = (...args) => run("bash", [join(repo, "scripts", "ci", "push-image.sh"), ...args]);

test("the pushed image keeps its digest and is tagged with the commit", () => {
  const { layout, digest } = buildLayout("tracking", "mlflow server\n");
  const tag = "0123456789abcdef0123456789abcdef01234567";
  const r = pushImage(layout, registry, tag, digest);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${registry}/mlflow-tracking-server@${digest}\n`);
  assert.equal(must(crane, ["digest", `${registry}/mlflow-tracking-server:${tag}`]), digest);
  // Pushing the same release into the next environment's registry gives the same digest again.
  const again = pushImage(layout, registry, "staging-copy", digest);
  assert.equal(again.code, 0, again.err);
  assert.equal(must(crane, ["digest", `${registry}/mlflow-tracking-server:staging-copy`]), digest);
});

test("an image that is not the release's is never pushed", () => {
  const { layout } = buildLayout("other", "another build\n");
  const pinned = `sha256:${"0".repeat(64)}`;
  const r = pushImage(layout, registry, "wrong", pinned);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`holds sha256:[0-9a-f]{64}, but the release pins ${pinned}: refusing to push another image`));
  const listed = run(crane, ["ls", `${registry}/mlflow-tracking-server`]);
  assert.ok(!listed.out.split("\n").includes("wrong"), "tag 'wrong' must not exist");
});

test("a layout with more than one manifest is refused with the rule to follow", () => {
  const { layout, digest } = buildLayout("multi", "two entries\n");
  const indexFile = join(layout, "index.json");
  const index = JSON.parse(readFileSync(indexFile, "utf8"));
  index.manifests.push({ ...index.manifests[0], annotations: { "vnd.docker.reference.type": "attestation-manifest" } });
  writeFileSync(indexFile, JSON.stringify(index));
  const r = pushImage(layout, registry, "multi", digest);
  assert.equal(r.code, 2);
  assert.match(r.err, /lists 2 manifests; expected exactly 1 \(build one platform with --provenance=false --sbom=false\)/);
});

test("a layout whose one entry is an index, not an image manifest, is refused", () => {
  const { layout, digest } = buildLayout("nested", "an index inside\n");
  const indexFile = join(layout, "index.json");
  const index = JSON.parse(readFileSync(indexFile, "utf8"));
  index.manifests[0].mediaType = "application/vnd.oci.image.index.v1+json";
  writeFileSync(indexFile, JSON.stringify(index));
  const r = pushImage(layout, registry, "nested", digest);
  assert.equal(r.code, 2);
  assert.match(r.err, /names a application\/vnd\.oci\.image\.index\.v1\+json, expected one image manifest/);
});

test("bad arguments are named", () => {
  let r = pushImage("a", "b", "c");
  assert.match(r.err, /usage: scripts\/ci\/push-image\.sh <layout-dir> <registry-login-server> <tag> <expected-digest>/);
  r = pushImage(work, registry, "t", "sha256:abc");
  assert.match(r.err, /expected digest 'sha256:abc' is not sha256:<64 hex>/);
  r = pushImage(work, "https://x.azurecr.io", "t", `sha256:${"1".repeat(64)}`);
  assert.match(r.err, /registry 'https:\/\/x\.azurecr\.io' is not a login server/);
  r = pushImage(work, registry, "bad tag", `sha256:${"1".repeat(64)}`);
  assert.match(r.err, /tag 'bad tag' is not a valid image tag/);
  r = pushImage(join(work, "absent"), registry, "t", `sha256:${"1".repeat(64)}`);
  assert.match(r.err, /is not an OCI image layout \(no index\.json\)/);
});
