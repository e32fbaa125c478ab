// Environment files hold only what differs from the defaults: a deep partial, merged here.
// Arrays and scalars replace; objects merge key by key.

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

import type { EnvironmentConfig } from "./schema";

export type EnvironmentOverrides = DeepPartial<EnvironmentConfig> & { name: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys that would reach Object.prototype instead of the configuration. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return override === undefined ? base : override;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (FORBIDDEN_KEYS.has(key)) throw new Error(`"${key}" is not a configuration field`);
    merged[key] = deepMerge(base[key], value);
  }
  return merged;
}
