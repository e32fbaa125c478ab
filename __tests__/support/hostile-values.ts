// Hostile inputs for the generative tests (__tests__/config/hostile-config.test.ts, __tests__/chart/hostile-values.test.ts):
// a fixed catalogue by category plus seeded random strings, so a failing case is replayed from the printed seed.

/** The seed of a run: HOSTILE_SEED when set (to replay a failure), else a fixed default so CI runs are repeatable. */
export function hostileSeed(): number {
  const given = process.env.HOSTILE_SEED;
  if (given === undefined || given === "") return 20261202;
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`HOSTILE_SEED must be a non-negative integer (got ${JSON.stringify(given)})`);
  return seed;
}

/** mulberry32: a small deterministic generator; the same seed gives the same cases on every machine. */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic sample of `count` items (all of them when there are fewer), in their original order. */
export function sample<T>(items: T[], count: number, random: () => number): T[] {
  if (items.length <= count) return items;
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * items.length));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]!);
}

export type Hostile = { label: string; value: unknown };

/** Values of the wrong type for any field. */
const wrongTypes: Hostile[] = [
  { label: "a string", value: "x" },
  { label: "the number 0", value: 0 },
  { label: "the number 1", value: 1 },
  { label: "a negative number", value: -1 },
  { label: "a float", value: 1.5 },
  { label: "a huge number", value: 1e300 },
  { label: "an integer past 2^53", value: 2 ** 53 + 2 },
  { label: "true", value: true },
  { label: "false", value: false },
  { label: "null", value: null },
  { label: "an empty list", value: [] },
  { label: "a list of null", value: [null] },
  { label: "a list of a list", value: [["x"]] },
  { label: "an empty object", value: {} },
  { label: "an object", value: { a: 1 } },
];

/** Text that is empty, blank, long, number-like or full of characters some layer interprets. */
const hostileText: Hostile[] = [
  { label: "an empty string", value: "" },
  { label: "a space", value: " " },
  { label: "whitespace", value: " \t " },
  { label: "a long string", value: "a".repeat(300) },
  { label: "a very long string", value: "a1".repeat(5000) },
  { label: "'-1'", value: "-1" },
  { label: "'0'", value: "0" },
  { label: "'1e309'", value: "1e309" },
  { label: "'NaN'", value: "NaN" },
  { label: "'Infinity'", value: "Infinity" },
  { label: "'0x10'", value: "0x10" },
  { label: "'1.5'", value: "1.5" },
  { label: "a padded number", value: " 3 " },
  { label: "unicode letters", value: "mlflöw" },
  { label: "a right-to-left override", value: "ab\u202Ecd" },
  { label: "a zero-width space", value: "ab\u200Bcd" },
  { label: "an emoji", value: "ml😀" },
  { label: "a NUL byte", value: "ab\u0000" },
  { label: "an escape sequence", value: "\u001b[31mred" },
  { label: "a newline", value: "a\nb" },
  { label: "a forged problem line", value: "x\n  - [prod] name: forged" },
  { label: "a line separator", value: "a\u2028b" },
  { label: "Terraform interpolation", value: "${path.root}" },
  { label: "an empty interpolation", value: "${}" },
  { label: "Helm template syntax", value: "{{ .Values.x }}" },
  { label: "command substitution", value: "$(id)" },
  { label: "backticks", value: "`id`" },
  { label: "a shell command", value: "x; rm -rf /" },
  { label: "a YAML anchor", value: "&a" },
  { label: "a YAML alias", value: "*a" },
  { label: "a YAML mapping", value: "key: value" },
  { label: "a YAML list item", value: "- item" },
  { label: "a YAML comment", value: "# comment" },
  { label: "a YAML document marker", value: "---" },
  { label: "YAML null", value: "~" },
  { label: "YAML yes", value: "yes" },
  { label: "quotes", value: "'\"" },
  { label: "a path escape", value: "../../etc/passwd" },
];

const CHARACTERS = "abcz09AZ-_.:/@%$#{}[]()<>|&;*?!~`'\"\\ \t\n\u0000\u00e9\u202e\u2028";

/** `count` seeded random strings of 1-40 characters from an alphabet of letters and metacharacters. */
export function randomStrings(random: () => number, count: number): Hostile[] {
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 40);
    const value = Array.from({ length }, () => CHARACTERS[Math.floor(random() * CHARACTERS.length)]).join("");
    return { label: `random ${JSON.stringify(value)}`, value };
  });
}

/** Valid names that YAML 1.1 (what Kubernetes tooling parses manifests with) reads as a boolean, null or number. */
export const yamlNonStrings = ["yes", "no", "on", "off", "y", "true", "null", "123", "1e3", "0x1f", "0o17"];

/** Every fixed hostile value: wrong types and hostile text. */
export const hostileValues: Hostile[] = [...wrongTypes, ...hostileText];

/** Keys that no schema declares, some of them meaningful to JavaScript or to a path syntax. */
export const unknownKeys = ["unknown", "__proto__", "constructor", "prototype", "toString", "", " ", "a.b", "a\nb", "${x}"];

/** A list with its items repeated, and with a hostile item appended. */
export function listVariants(list: unknown[]): Hostile[] {
  if (list.length === 0) return [];
  return [
    { label: "its items repeated", value: [...list, ...list] },
    { label: "its first item twice", value: [list[0], list[0]] },
  ];
}

/** Characters that break one line of output into several, or hide what follows. */
export const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** A key path into a tree of values: object keys and list indexes. */
export type Path = (string | number)[];

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every node of a tree of values (the root first): objects, lists, list items and scalars, with their paths. */
export function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const children = isObject(value) ? Object.entries(value) : Array.isArray(value) ? value.map((v, i) => [i, v] as const) : [];
  return [{ path, value }, ...children.flatMap(([key, child]) => nodes(child, [...path, key]))];
}

/** The override that sets `path` to `value` over `base`; a list item replaces the whole list with the item changed. */
export function overrideAt(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const list = [...(Array.isArray(base) ? base : [])];
    list[head] = overrideAt(list[head], rest, value);
    return list;
  }
  const inner = isObject(base) ? base[head!] : undefined;
  // JSON.parse makes "__proto__" an own key; an object literal would set the prototype instead.
  return JSON.parse(`{${JSON.stringify(head)}:${JSON.stringify(overrideAt(inner, rest, value)) ?? "null"}}`);
}
