import { AwsServiceError } from './AwsServiceError';
import type { ActionInput } from './JsonProtocolService';

/**
 * Reads typed members of a JSON-protocol request, raising the service's validation exception in AWS's wording
 * ("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: ...").
 */
export class InputReader {
  constructor(
    private readonly input: ActionInput,
    private readonly errorType: string,
    private readonly path = '',
  ) {}

  string(name: string, limits: { maxLength?: number; minLength?: number } = {}): string {
    const value = this.optionalString(name, limits);
    if (value === undefined) throw this.invalid(name, 'null', 'Member must not be null');
    return value;
  }

  optionalString(name: string, limits: { maxLength?: number; minLength?: number } = {}): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.wrongType(name, 'a string');
    const { minLength = 0, maxLength } = limits;
    if (value.length < minLength) {
      throw this.invalid(name, JSON.stringify(value), `Member must have length greater than or equal to ${minLength}`);
    }
    if (maxLength !== undefined && value.length > maxLength) {
      throw this.invalid(name, '(truncated)', `Member must have length less than or equal to ${maxLength}`);
    }
    return value;
  }

  optionalInteger(name: string, limits: { min?: number; max?: number } = {}): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.wrongType(name, 'an integer');
    if (limits.min !== undefined && value < limits.min) {
      throw this.invalid(name, String(value), `Member must have value greater than or equal to ${limits.min}`);
    }
    if (limits.max !== undefined && value > limits.max) {
      throw this.invalid(name, String(value), `Member must have value less than or equal to ${limits.max}`);
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.wrongType(name, 'a boolean');
    return value;
  }

  stringArray(name: string, limits: { minItems?: number; maxItems?: number } = {}): string[] {
    const value = this.optionalStringArray(name, limits);
    if (value === undefined) throw this.invalid(name, 'null', 'Member must not be null');
    return value;
  }

  optionalStringArray(name: string, limits: { minItems?: number; maxItems?: number } = {}): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw this.wrongType(name, 'a list of strings');
    if (limits.minItems !== undefined && value.length < limits.minItems) {
      throw this.invalid(name, '[...]', `Member must have length greater than or equal to ${limits.minItems}`);
    }
    if (limits.maxItems !== undefined && value.length > limits.maxItems) {
      throw this.invalid(name, '[...]', `Member must have length less than or equal to ${limits.maxItems}`);
    }
    return value as string[];
  }

  /** A nested structure, read with the same error type; undefined when absent. */
  optionalObject(name: string): InputReader | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw this.wrongType(name, 'a structure');
    return new InputReader(value as ActionInput, this.errorType, this.memberPath(name));
  }

  object(name: string): InputReader {
    const value = this.optionalObject(name);
    if (!value) throw this.invalid(name, 'null', 'Member must not be null');
    return value;
  }

  /** A map of string to string (e.g. Glue table Parameters or job Arguments). */
  optionalStringMap(name: string): Record<string, string> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw this.wrongType(name, 'a map of string to string');
    }
    return { ...(value as Record<string, string>) };
  }

  /** The raw member, for structures a service stores as given (e.g. Glue StorageDescriptor). */
  raw(name: string): unknown {
    return this.input[name];
  }

  private memberPath(name: string): string {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    return this.path ? `${this.path}.${member}` : member;
  }

  private wrongType(name: string, expected: string): AwsServiceError {
    return new AwsServiceError('SerializationException', `Member ${this.memberPath(name)} must be ${expected}.`);
  }

  private invalid(name: string, shown: string, constraint: string): AwsServiceError {
    return new AwsServiceError(
      this.errorType,
      `1 validation error detected: Value ${shown} at '${this.memberPath(name)}' failed to satisfy constraint: ${constraint}`,
    );
  }
}
