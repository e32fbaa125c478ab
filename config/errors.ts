/** One broken rule: which environment, which field, and what the rule is. */
export interface ConfigProblem {
  environment: string;
  field: string;
  message: string;
}

/** How a rule reports a problem of the environment it checks. */
export type Report = (field: string, message: string) => void;

/** Characters that would break a problem's line or hide what follows it (newlines, NUL, escapes, bidi overrides). */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Longest run of non-space characters shown whole: longer ones are echoed input (a 10 000-character value). */
const LONGEST_WORD = 80;
/** Longest problem text shown whole, for echoes made of many short words. */
const LONGEST_TEXT = 600;
/** Problems listed in the message: an override with thousands of unknown keys gives a page, not megabytes. */
const LISTED_PROBLEMS = 50;

/**
 * A problem's text as one printable line, whatever input it echoes: unprintable characters escaped as \n or \u202e,
 * a very long word shortened in the middle, a very long text cut, an empty text shown as "".
 */
export function printable(text: string): string {
  const escaped = text.replace(UNPRINTABLE, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    return json.startsWith("\\") ? json : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  const shortened = escaped.replace(new RegExp(`\\S{${LONGEST_WORD + 1},}`, "g"), (w) => `${w.slice(0, 40)}…(${w.length - 56} more)…${w.slice(-16)}`);
  if (shortened === "") return '""';
  return shortened.length > LONGEST_TEXT ? `${shortened.slice(0, LONGEST_TEXT)}…(${shortened.length - LONGEST_TEXT} more)` : shortened;
}

/**
 * Thrown before any construct is built; holds every problem of every environment. main.ts prints its message (one
 * line per problem, the first 50 of them) and exits 1, never a stack trace.
 */
export class ConfigValidationError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((p) => ({ environment: printable(p.environment), field: printable(p.field), message: printable(p.message) }));
    const listed = lines.slice(0, LISTED_PROBLEMS).map((p) => `  - [${p.environment}] ${p.field}: ${p.message}`);
    if (lines.length > LISTED_PROBLEMS) listed.push(`  … and ${lines.length - LISTED_PROBLEMS} more (fix these first; the error's problems list has them all)`);
    super(`Invalid configuration (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n${listed.join("\n")}`);
    this.name = "ConfigValidationError";
    this.problems = lines;
  }
}
