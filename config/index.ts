export { ConfigValidationError, type ConfigProblem } from "./errors";
export { loadConfig, validateEnvironments, type AppConfig, type Environment } from "./load";
export type { ResourceNames } from "./naming";
export type { EnvironmentConfig, NodePoolConfig, MaintenanceWindowConfig, ResourcesConfig } from "./schema";
export type { KubeloginMode, RuntimeSettings, StateBackendSettings } from "./settings";
