import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import { type FieldError, NotFoundError, ValidationError } from '../errors';
import { type ExamlakeOperation, operationsOf } from './openapiDocument';

const DOCUMENT_ID = 'openapi.json';

interface OperationValidators {
  readonly path: ValidateFunction;
  readonly query: ValidateFunction;
  readonly headers: ValidateFunction;
  readonly headerNames: readonly string[];
  readonly body: ValidateFunction | undefined;
  readonly bodyRequired: boolean;
}

/** Raw inputs of a request, before validation. */
export interface RawRequestInputs {
  readonly pathParams: Record<string, string>;
  /** Every value of every query parameter (a parameter given twice is an error). */
  readonly query: Record<string, readonly string[]>;
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly hasBody: boolean;
}

/** Validated inputs: coerced to the declared types, defaults applied. */
export interface ValidatedInputs {
  readonly pathParams: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
}

/**
 * Validates requests against the contract: one ajv (JSON Schema 2020-12) validator per operation and part,
 * compiled from `openapi.yaml` once at cold start. There is no second, hand-written schema. Query parameters
 * and body fields the operation does not declare are rejected.
 */
export class RequestValidator {
  private readonly byOperation = new Map<string, OperationValidators>();
  /** Validators of document schemas by JSON pointer (resolving a `$ref` in ajv costs more than a look-up). */
  private readonly bySchema = new Map<string, ValidateFunction>();
  readonly ajv: Ajv2020;

  constructor(document: OpenAPIV3_1.Document) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, useDefaults: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components ?? {} });
    for (const { operation } of operationsOf(document)) {
      this.byOperation.set(String(operation.operationId), this.compile(document, operation));
    }
  }

  /** A validator for any schema of the document (e.g. `#/components/schemas/Result`), for reports and tests. */
  schemaValidator(pointer: string): ValidateFunction {
    let validate = this.bySchema.get(pointer);
    if (!validate) {
      validate =
        this.ajv.getSchema(`${DOCUMENT_ID}${pointer}`) ?? this.ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
      this.bySchema.set(pointer, validate);
    }
    return validate;
  }

  /** The operation declares a request body (only then is one read). */
  takesBody(operationId: string): boolean {
    return this.byOperation.get(operationId)?.body !== undefined;
  }

  validate(operationId: string, raw: RawRequestInputs): ValidatedInputs {
    const v = this.byOperation.get(operationId);
    if (!v) throw new Error(`No validators for operation ${operationId}.`);
    const errors: FieldError[] = [];
    const pathParams: Record<string, unknown> = { ...raw.pathParams };
    if (!v.path(pathParams)) {
      // A path parameter outside its enum names a resource that does not exist: 404, listing those that do.
      const unknown = v.path.errors?.find((e) => e.keyword === 'enum');
      if (unknown) {
        const name = unknown.instancePath.replace(/^\//, '');
        throw new NotFoundError(`No ${name} '${raw.pathParams[name]}' exists: it ${enumMessage(unknown)}.`);
      }
      errors.push(...fieldErrors('path', v.path.errors));
    }
    const query: Record<string, unknown> = {};
    for (const [name, values] of Object.entries(raw.query)) {
      if (values.length > 1) errors.push({ in: 'query', name, message: 'is given more than once; give it once' });
      query[name] = values[values.length - 1];
    }
    if (!v.query(query)) errors.push(...fieldErrors('query', v.query.errors));
    const headers: Record<string, unknown> = {};
    for (const name of v.headerNames) if (raw.headers[name] !== undefined) headers[name] = raw.headers[name];
    if (!v.headers(headers)) errors.push(...fieldErrors('header', v.headers.errors));
    let body: unknown;
    if (v.body) {
      if (!raw.hasBody) {
        if (v.bodyRequired) errors.push({ in: 'body', name: '/', message: 'is required: send a JSON object' });
      } else {
        body = raw.body;
        if (!v.body(body)) errors.push(...fieldErrors('body', v.body.errors));
      }
    } else if (raw.hasBody) {
      errors.push({ in: 'body', name: '/', message: 'is not accepted by this operation' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return { pathParams: pathParams as Record<string, string>, query, body };
  }

  private compile(document: OpenAPIV3_1.Document, operation: ExamlakeOperation): OperationValidators {
    const params = (operation.parameters ?? []).map((p) => resolve<OpenAPIV3_1.ParameterObject>(document, p));
    const objectSchema = (location: string, lowerCase = false) => {
      const selected = params.filter((p) => p.in === location);
      const key = (p: OpenAPIV3_1.ParameterObject) => (lowerCase ? p.name.toLowerCase() : p.name);
      return this.ajv.compile({
        type: 'object',
        properties: Object.fromEntries(selected.map((p) => [key(p), rewriteRefs(p.schema ?? {})])),
        required: selected.filter((p) => p.required).map(key),
        additionalProperties: location === 'header',
      });
    };
    const requestBody = operation.requestBody
      ? resolve<OpenAPIV3_1.RequestBodyObject>(document, operation.requestBody)
      : undefined;
    const bodySchema = requestBody?.content?.['application/json']?.schema;
    return {
      path: objectSchema('path'),
      query: objectSchema('query'),
      headers: objectSchema('header', true),
      headerNames: params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()),
      body: bodySchema ? this.ajv.compile(rewriteRefs(bodySchema) as object) : undefined,
      bodyRequired: requestBody?.required === true,
    };
  }
}

/** Follows a local `$ref` (`#/components/...`) of the document. */
export function resolve<T>(document: OpenAPIV3_1.Document, value: unknown): T {
  let current = value as { $ref?: string };
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++) {
    const pointer = current.$ref.replace(/^#\//, '').split('/');
    current = pointer.reduce<unknown>(
      (node, part) => (node as Record<string, unknown>)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')],
      document,
    ) as { $ref?: string };
  }
  return current as T;
}

/** Copies a schema with its local `#/…` references pointed at the document registered in ajv. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${DOCUMENT_ID}${v}` : rewriteRefs(v),
    ]),
  );
}

/** What the field errors say of a name the schema does not declare, and of a required one that is missing. */
export interface FieldErrorMessages {
  /** @default 'is not a field of this request body' (body), 'is not a parameter of this operation' (elsewhere) */
  readonly notDeclared?: string;
  /** @default 'is required' */
  readonly required?: string;
}

/**
 * ajv's errors as the problem body's field errors: one per field and message, named as the client sent them
 * (a body field by its JSON pointer, a parameter by its name), enum errors listing the allowed values. Used for
 * the contract's request validation and for a report's own parameter schema.
 */
export function fieldErrors(
  location: FieldError['in'],
  errors: ErrorObject[] | null | undefined,
  messages: FieldErrorMessages = {},
): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    let name = e.instancePath.replace(/^\//, '') || '/';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = String(e.params.additionalProperty);
      name = location === 'body' ? `${e.instancePath}/${extra}` : extra;
      message =
        messages.notDeclared ??
        (location === 'body' ? 'is not a field of this request body' : 'is not a parameter of this operation');
    } else if (e.keyword === 'required') {
      const missing = String(e.params.missingProperty);
      name = location === 'body' ? `${e.instancePath}/${missing}` : missing;
      message = messages.required ?? 'is required';
    } else if (location === 'body') {
      name = e.instancePath || '/';
    } else {
      name = name.split('/')[0] ?? name;
    }
    if (e.keyword === 'maximum' || e.keyword === 'minimum') message = `${message} (got out-of-range value)`;
    if (e.keyword === 'enum') message = enumMessage(e);
    if (!out.some((f) => f.name === name && f.message === message)) out.push({ in: location, name, message });
  }
  return out;
}

/** ajv's enum message names no value; ours lists the allowed ones (`must be one of: mathematics, reading, …`). */
function enumMessage(e: ErrorObject): string {
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
  return `must be one of: ${allowed.map(String).join(', ')}`;
}
