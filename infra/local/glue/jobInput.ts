import type { InputReader } from '../edge/InputReader';
import { checkName, glueErrors } from './glueErrors';

/** A job's definition as CreateJob (or UpdateJob's JobUpdate) gives it, with Glue's defaults filled in. */
export interface JobDefinition {
  readonly Description?: string;
  readonly LogUri?: string;
  readonly Role: string;
  readonly ExecutionProperty: { readonly MaxConcurrentRuns: number };
  readonly Command: {
    readonly Name?: string;
    readonly ScriptLocation?: string;
    readonly PythonVersion?: string;
    readonly Runtime?: string;
  };
  readonly DefaultArguments: Record<string, string>;
  readonly NonOverridableArguments: Record<string, string>;
  readonly MaxRetries: number;
  /** Minutes a run may take before it ends in TIMEOUT. */
  readonly Timeout: number;
  readonly AllocatedCapacity?: number;
  readonly MaxCapacity?: number;
  readonly WorkerType?: string;
  readonly NumberOfWorkers?: number;
  readonly SecurityConfiguration?: string;
  readonly NotificationProperty?: { readonly NotifyDelayAfter?: number };
  readonly GlueVersion?: string;
  readonly ExecutionClass?: string;
}

/** Glue's default job timeout: 2,880 minutes (48 hours). */
export const DEFAULT_TIMEOUT_MINUTES = 2880;
/** Glue's default for ExecutionProperty.MaxConcurrentRuns. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 1;

export function readJobName(input: InputReader, member: string, memberPath: string): string {
  return checkName(input.string(member), memberPath);
}

/** Reads a job definition (the members of CreateJob, or of UpdateJob's JobUpdate, which replaces it whole). */
export function readJobDefinition(input: InputReader, memberPrefix = ''): JobDefinition {
  const role = input.optionalString('Role', { minLength: 1 });
  if (role === undefined) {
    throw glueErrors.validation(`${memberPrefix}role`, 'null', 'Member must not be null');
  }
  const command = input.optionalObject('Command');
  if (!command) throw glueErrors.validation(`${memberPrefix}command`, 'null', 'Member must not be null');
  const execution = input.optionalObject('ExecutionProperty');
  const notification = input.optionalObject('NotificationProperty');
  const notifyDelayAfter = notification?.optionalInteger('NotifyDelayAfter', { min: 1 });
  return {
    Description: input.optionalString('Description', { maxLength: 2048 }),
    LogUri: input.optionalString('LogUri'),
    Role: role,
    ExecutionProperty: {
      MaxConcurrentRuns: execution?.optionalInteger('MaxConcurrentRuns', { min: 1 }) ?? DEFAULT_MAX_CONCURRENT_RUNS,
    },
    Command: {
      Name: command.optionalString('Name'),
      ScriptLocation: command.optionalString('ScriptLocation', { maxLength: 400000 }),
      PythonVersion: command.optionalString('PythonVersion'),
      Runtime: command.optionalString('Runtime'),
    },
    DefaultArguments: input.optionalStringMap('DefaultArguments') ?? {},
    NonOverridableArguments: input.optionalStringMap('NonOverridableArguments') ?? {},
    MaxRetries: input.optionalInteger('MaxRetries', { min: 0 }) ?? 0,
    Timeout: input.optionalInteger('Timeout', { min: 1 }) ?? DEFAULT_TIMEOUT_MINUTES,
    AllocatedCapacity: input.optionalInteger('AllocatedCapacity'),
    MaxCapacity: optionalNumber(input, 'MaxCapacity'),
    WorkerType: input.optionalString('WorkerType'),
    NumberOfWorkers: input.optionalInteger('NumberOfWorkers', { min: 1 }),
    SecurityConfiguration: input.optionalString('SecurityConfiguration'),
    NotificationProperty: notification ? { NotifyDelayAfter: notifyDelayAfter } : undefined,
    GlueVersion: input.optionalString('GlueVersion', { minLength: 1, maxLength: 255 }),
    ExecutionClass: input.optionalString('ExecutionClass'),
  };
}

function optionalNumber(input: InputReader, member: string): number | undefined {
  const value = input.raw(member);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') {
    throw glueErrors.validation(
      member.charAt(0).toLowerCase() + member.slice(1),
      String(value),
      'Member must be a number',
    );
  }
  return value;
}
