// Renders helm_charts/mlflow_setup with real helm, front door on, and returns what the sign-in test runs: oauth2-proxy's
// flags and the tracking server's `mlflow server` options, exactly as the pods would get them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export function renderFrontDoor({ repo, helm, host, authorityHost }) {
  const chart = join(repo, "helm_charts", "mlflow_setup");
  const out = execFileSync(
    helm,
    [
      "template",
      "mlflow",
      chart,
      "--namespace",
      "mlflow",
      "-f",
      join(chart, "ci", "required-values.yaml"),
      "-f",
      join(chart, "ci", "front-door-values.yaml"),
      "--set",
      `frontDoor.host=${host}`,
      "--set",
      `frontDoor.entra.authorityHost=${authorityHost}`,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const docs = parseAllDocuments(out)
    .map((d) => d.toJS())
    .filter(Boolean);
  const find = (kind, component) => {
    const doc = docs.find((d) => d.kind === kind && d.metadata.labels?.["app.kubernetes.io/component"] === component);
    if (!doc) throw new Error(`the chart rendered no ${kind} for ${component}`);
    return doc;
  };
  const proxy = find("Deployment", "oauth2-proxy").spec.template.spec.containers[0];
  const server = find("Deployment", "tracking-server").spec.template.spec.containers.find((c) => c.name === "mlflow");
  const script = server.args[0];
  const at = script.indexOf("exec mlflow server \\\n");
  if (at < 0) throw new Error("the tracking server script has no `exec mlflow server` line");
  const serverOptions = script
    .slice(at + "exec mlflow server \\\n".length)
    .replace(/\\\n/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return {
    proxyArgs: proxy.args,
    proxyImage: proxy.image,
    serverOptions,
    upstream: proxy.args.find((a) => a.startsWith("--upstream=")).slice("--upstream=".length),
  };
}
