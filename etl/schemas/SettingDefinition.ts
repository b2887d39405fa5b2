/**
 * A tunable read from the environment: declared once (name, default, unit, description) and listed in
 * `docs/settings.md`; a test keeps the two in step. Declared here, at the bottom of the dependency graph, because
 * `api/`, `etl/` and `infra/` all declare settings and `api/` and `etl/` import nothing from `infra/`.
 */
export interface SettingDefinition {
  /** Environment variable name. */
  readonly env: string;
  /** Default as the user would write it; undefined when required. */
  readonly default: string | undefined;
  /** Unit or format, e.g. `port`, `bytes`, `ms`, `path`. */
  readonly unit: string;
  readonly description: string;
}
