import { TAGS } from "./azure/limits";
import type { Report } from "./errors";

/** Azure's tag limits: how many, which names it keeps for itself, and names are compared without case. */
export function checkTags(tags: Record<string, string>, report: Report): void {
  const keys = Object.keys(tags);
  if (keys.length > TAGS.maxPerResource) {
    report("tags", `${keys.length} tags: Azure allows at most ${TAGS.maxPerResource} per resource`);
  }
  const seen = new Map<string, string>();
  for (const key of keys) {
    const lower = key.toLowerCase();
    const reserved = TAGS.reservedPrefixes.find((prefix) => lower.startsWith(prefix));
    if (reserved) report(`tags.${key}`, `tag names may not start with "${reserved}" (in any case): Azure reserves ${TAGS.reservedPrefixes.join(", ")}`);
    const first = seen.get(lower);
    if (first !== undefined) {
      report(`tags.${key}`, `repeats tag "${first}": Azure compares tag names without case, so one would overwrite the other`);
    } else {
      seen.set(lower, key);
    }
  }
}
