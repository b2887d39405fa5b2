/**
 * A tunable read from the environment, declared once (name, default, unit, description, parser) in this folder
 * and rendered into `docs/settings.md`; a test keeps the two in step. This folder is the bottom of the dependency
 * graph: `api/`, `etl/` and `infra/` all read their settings through it, and it imports nothing of theirs.
 */
export interface SettingDefinition {
  /** Environment variable name. */
  readonly env: string;
  /** Default as the user would write it; undefined when there is none (required, or required in one mode). */
  readonly default: string | undefined;
  /** Unit or format, e.g. `port`, `bytes`, `ms`, `path`. */
  readonly unit: string;
  readonly description: string;
}

/** A declared setting with its one typed parser. */
export interface Setting<T> extends SettingDefinition {
  /**
   * The typed value of what the user wrote (`undefined` or blank: the default). `name` is what an error message
   * calls the value (a command-line flag overriding the variable). @default the variable's name
   */
  parse(value: string | undefined, name?: string): T;
}

/** The typed value of a setting. */
export type SettingValue<S> = S extends Setting<infer T> ? T : never;

/** A setting is missing or malformed; the message names the variable and says what it must be. */
export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION';
  constructor(
    message: string,
    /** The variable (or flag) at fault, when one is. */
    readonly variable?: string,
    /** True when the value is missing rather than malformed. */
    readonly missing = false,
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

type Declaration = Omit<SettingDefinition, 'default'>;

function setting<T>(
  declaration: Declaration,
  fallback: string | undefined,
  convert: (value: string, name: string) => T,
  absent: (name: string) => T,
): Setting<T> {
  return Object.freeze({
    ...declaration,
    default: fallback,
    parse(value: string | undefined, name: string = declaration.env): T {
      const given = value === undefined || value.trim() === '' ? fallback : value.trim();
      return given === undefined || given === '' ? absent(name) : convert(given, name);
    },
  });
}

function missing(declaration: Declaration) {
  return (name: string): never => {
    throw new ConfigurationError(`Set ${name}: ${declaration.description}`, name, true);
  };
}

/** A text that must be set (a resource name). */
export function requiredText(declaration: Declaration): Setting<string> {
  return setting(declaration, undefined, (v) => v, missing(declaration));
}

/** A text with a default. */
export function text(declaration: Declaration & { readonly default: string }): Setting<string> {
  return setting(declaration, declaration.default, (v) => v, missing(declaration));
}

/**
 * A text that may be absent (undefined); `pattern` checks it when set. `default: undefined` documents it as
 * required (it is, in the mode that uses it), `''` as empty.
 */
export function optionalText(
  declaration: Declaration & {
    readonly default: '' | undefined;
    readonly pattern?: { readonly test: RegExp; readonly like: string };
  },
): Setting<string | undefined> {
  const { pattern } = declaration;
  return setting(
    declaration,
    declaration.default,
    (v, name) => {
      if (pattern && !pattern.test.test(v)) {
        throw new ConfigurationError(`${name} must ${pattern.like}, got '${v}'.`, name);
      }
      return v;
    },
    () => undefined,
  );
}

/** A text of a given shape, with a default. */
export function formattedText(
  declaration: Declaration & { readonly default: string; readonly pattern: RegExp; readonly like: string },
): Setting<string> {
  return setting(
    declaration,
    declaration.default,
    (v, name) => {
      if (!declaration.pattern.test(v))
        throw new ConfigurationError(`${name} must be ${declaration.like}, got '${v}'.`, name);
      return v;
    },
    missing(declaration),
  );
}

/** A whole number in a range. */
export function integer(
  declaration: Declaration & { readonly default: string; readonly min: number; readonly max?: number },
): Setting<number> {
  const { min, max = Number.MAX_SAFE_INTEGER } = declaration;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
  return setting(
    declaration,
    declaration.default,
    (raw, name) => {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigurationError(`${name} must be an integer ${range} (${declaration.unit}), got '${raw}'.`, name);
      }
      return value;
    },
    missing(declaration),
  );
}

/** One of a few words (case-insensitive); `default: undefined` makes it optional (undefined when unset). */
export function oneOf<const V extends string, D extends V | undefined>(
  declaration: Declaration & { readonly values: readonly V[]; readonly default: D },
): Setting<D extends V ? V : V | undefined> {
  const { values } = declaration;
  return setting(
    declaration,
    declaration.default,
    (raw, name) => {
      const value = values.find((v) => v === raw.toLowerCase());
      if (!value) throw new ConfigurationError(`${name} must be one of ${values.join(', ')}, got '${raw}'.`, name);
      return value;
    },
    () => undefined as never,
  ) as Setting<D extends V ? V : V | undefined>;
}

/** An absolute http(s) base URL without query or fragment, trailing slash dropped; blank: undefined. */
export function baseUrl(declaration: Declaration & { readonly default: '' }): Setting<string | undefined> {
  return setting(
    declaration,
    declaration.default,
    (value, name) => {
      if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(value)) {
        throw new ConfigurationError(
          `${name} must be an http(s) URL without query or fragment (e.g. https://api.example.org/api), got '${value}'.`,
          name,
        );
      }
      return value.replace(/\/+$/, '');
    },
    () => undefined,
  );
}

/** A comma-separated list, each item checked. */
export function list(
  declaration: Declaration & { readonly default: string; readonly item: RegExp; readonly like: string },
): Setting<readonly string[]> {
  return setting(
    declaration,
    declaration.default,
    (value, name) => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      for (const item of items) {
        if (!declaration.item.test(item)) {
          throw new ConfigurationError(`${name} must list ${declaration.like}, got '${item}'.`, name);
        }
      }
      return Object.freeze(items);
    },
    () => Object.freeze([]),
  );
}
