// The "Accepted checks" table of docs/security.md, written from security/checkov-accepted.yaml (the one list the
// scan judges by), so the doc never lists a check the file does not accept, or misses one.
import { ACCEPTED_CAP, type AcceptedCheck } from "../checkov-verdict";
import { wrapText, type GeneratedPart } from "./generated-blocks";

export const acceptedChecksPart: GeneratedPart = { file: "docs/security.md", name: "accepted-checks" };

/** What each accepted check looks at, in a few words (checkov's own titles are long). */
const CHECK_TOPICS: Record<string, string> = {
  CKV2_AZURE_40: "storage shared key",
  CKV_AZURE_33: "classic queue logging",
  CKV2_AZURE_21: "blob read logging",
  CKV_AZURE_164: "registry content trust",
  CKV_AZURE_166: "registry quarantine",
  CKV_AZURE_165: "registry geo-replication",
  CKV_AZURE_170: "AKS paid tier",
  CKV_AZURE_115: "AKS private cluster",
  CKV_AZURE_139: "registry public network",
  CKV_AZURE_59: "storage public access",
  CKV2_AZURE_33: "storage private endpoint",
  CKV2_AZURE_32: "Key Vault private endpoint",
};

function targetsText(check: AcceptedCheck, environments: string[]): string {
  const infra = check.targets.filter((t) => t.startsWith("infra-")).map((t) => t.slice("infra-".length));
  const others = check.targets.filter((t) => !t.startsWith("infra-"));
  const infraText = infra.length === environments.length ? "all infra" : infra.join(", ");
  return [infraText, ...others].filter(Boolean).join(", ") + (check.publicMode ? " (public mode)" : "");
}

/** The count sentence and the table of docs/security.md's generated part. */
export function acceptedChecksSection(checks: AcceptedCheck[], environments: string[]): string {
  const capped = checks.filter((c) => !c.publicMode);
  const inProd = capped.filter((c) => c.targets.includes("infra-prod")).length;
  const publicMode = checks.length - capped.length;
  const missing = checks.filter((c) => !(c.id in CHECK_TOPICS)).map((c) => c.id);
  if (missing.length) throw new Error(`scripts/docs/accepted-checks.ts: add a topic for ${missing.join(", ")}`);
  const sentence =
    `The platform stacks accept ${capped.length} checks, ${inProd} of them in prod (the scan fails above ${ACCEPTED_CAP}, or when ` +
    `prod accepts as many as all targets together), plus ${publicMode} that fail only because an environment is in public ` +
    "access mode (marked `publicMode`, counted apart, refused for prod).";
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
  return [
    ...wrapText(sentence),
    "",
    "| Check | Targets | Why (from the file) |",
    "| --- | --- | --- |",
    ...checks.map((c) => `| ${c.id} ${CHECK_TOPICS[c.id]} | ${targetsText(c, environments)} | ${escape(c.reason)} |`),
  ].join("\n");
}
