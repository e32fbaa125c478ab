import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../support/project";

// The chart runs the tracking server with runAsNonRoot and a fixed uid; the image must create and use that user.
it("the tracking-server image runs as the uid/gid the chart's pods run as", () => {
  const dockerfile = fs.readFileSync(path.join(repoRoot, "docker/tracking-server/Dockerfile"), "utf8");
  const values = parse(fs.readFileSync(path.join(repoRoot, "helm_charts/mlflow_setup/values.yaml"), "utf8"));
  const { runAsUser, runAsGroup } = values.trackingServer.podSecurityContext;
  expect(dockerfile).toMatch(new RegExp(`^USER ${runAsUser}:${runAsGroup}$`, "m"));
  expect(dockerfile).toContain(`useradd --uid ${runAsUser} --gid`);
  expect(dockerfile).toContain(`groupadd --gid ${runAsGroup}`);
});
