/** One broken rule: which environment, which field, and what the rule is. */
export interface ConfigProblem {
  environment: string;
  field: string;
  message: string;
}

/** How a rule reports a problem of the environment it checks. */
export type Report = (field: string, message: string) => void;

/**
 * Thrown before any construct is built; lists every problem of every environment at once. main.ts prints its
 * message (one line per problem) and exits 1, never a stack trace.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - [${p.environment}] ${p.field}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}
