/** One broken rule: which environment, which field, and what the rule is. */
export interface ConfigProblem {
  environment: string;
  field: string;
  message: string;
}

/** Thrown before any construct is built; lists every problem of every environment at once. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - [${p.environment}] ${p.field}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}
