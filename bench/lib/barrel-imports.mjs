// Rewrites deep provider imports into barrel imports, for the benchmark's "barrel" copies only:
//   import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
// becomes
//   import { kubernetesCluster as azurerm$kubernetesCluster } from "@cdktf/provider-azurerm";
//   import KubernetesCluster = azurerm$kubernetesCluster.KubernetesCluster;
// so loading the module loads the whole provider package, as code written against the barrel does.
import * as fs from "node:fs";
import * as path from "node:path";

const DEEP_IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+["'](@cdk(?:tf|tn)\/provider-[a-z0-9-]+)\/lib\/([a-z0-9-]+)["'];?[ \t]*$/gm;
const ANY_DEEP_REFERENCE = /["']@cdk(?:tf|tn)\/provider-[a-z0-9-]+\/lib\//;

/** The barrel's namespace name for each lib/<folder> of a provider package, read from its index.d.ts. */
function barrelNamespaces(nodeModules, pkg) {
  const index = fs.readFileSync(path.join(nodeModules, pkg, "lib", "index.d.ts"), "utf8");
  const names = new Map();
  for (const [, name, folder] of index.matchAll(/export \* as (\w+) from '\.\/([a-z0-9-]+)'/g)) names.set(folder, name);
  return names;
}

/** The rewritten text of one TypeScript source, or the same text when it has no deep provider import. */
export function rewriteToBarrel(source, nodeModules, file = "<source>") {
  const namespacesByPkg = new Map();
  const rewritten = source.replace(DEEP_IMPORT, (_line, typeOnly, specifiers, pkg, folder) => {
    if (!namespacesByPkg.has(pkg)) namespacesByPkg.set(pkg, barrelNamespaces(nodeModules, pkg));
    const namespace = namespacesByPkg.get(pkg).get(folder);
    if (!namespace) throw new Error(`${file}: ${pkg} has no barrel export for lib/${folder}`);
    // Named after package and namespace: two providers both have e.g. a `provider` namespace.
    const local = `${pkg.replace(/.*provider-/, "").replace(/\W/g, "_")}$${namespace}`;
    const lines = [`import ${typeOnly ?? ""}{ ${namespace} as ${local} } from "${pkg}";`];
    for (const spec of specifiers
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [imported, alias] = spec.replace(/^type\s+/, "").split(/\s+as\s+/);
      // A type-only import cannot be aliased with `import =`; a type alias names the same type.
      lines.push(typeOnly ? `type ${alias ?? imported} = ${local}.${imported};` : `import ${alias ?? imported} = ${local}.${imported};`);
    }
    return lines.join("\n");
  });
  // Anything left (a multi-line or require() form) would silently keep the deep import: refuse instead.
  if (ANY_DEEP_REFERENCE.test(rewritten)) throw new Error(`${file}: a deep provider import this rewriter does not understand`);
  return rewritten;
}

/** Rewrites every .ts file below dir (skipping node_modules) in place; returns how many changed. */
export function rewriteTreeToBarrel(dir, nodeModules) {
  let changed = 0;
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== ".git") walk(rel);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const file = path.join(dir, rel);
        const before = fs.readFileSync(file, "utf8");
        const after = rewriteToBarrel(before, nodeModules, rel);
        if (after !== before) {
          fs.writeFileSync(file, after);
          changed += 1;
        }
      }
    }
  };
  walk("");
  return changed;
}
