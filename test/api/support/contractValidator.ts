import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import { loadOpenApiContract, operationsOf } from '../../../api/http/openapiDocument';
import { resolve } from '../../../api/http/RequestValidator';

/**
 * Validates responses against `openapi.yaml`, independently of the API's own request validator: for an
 * operation and status, the declared media type's schema (or the `4XX`/`5XX` range) must accept the body.
 */
export class ContractValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly document: OpenAPIV3_1.Document = loadOpenApiContract().document;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'spec.json', components: this.document.components });
  }

  /** Throws with ajv's errors unless `body` is what the contract declares for this response. */
  check(operationId: string, status: number, contentType: string, body: unknown): void {
    const op = operationsOf(this.document).find((o) => o.operation.operationId === operationId);
    if (!op) throw new Error(`No operation ${operationId} in openapi.yaml`);
    const responses = op.operation.responses ?? {};
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (!declared) throw new Error(`${operationId} does not declare status ${status}`);
    const response = resolve<OpenAPIV3_1.ResponseObject>(this.document, declared);
    const mediaType = contentType.split(';')[0]!.trim();
    const media = response.content?.[mediaType];
    if (!media) {
      if (!response.content && (body === '' || body === undefined)) return;
      throw new Error(
        `${operationId} ${status} does not declare ${mediaType} (declares ${Object.keys(response.content ?? {}).join(', ')})`,
      );
    }
    const key = `${operationId} ${status} ${mediaType}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewrite(media.schema ?? {}) as object);
      this.cache.set(key, validate);
    }
    if (!validate(body)) {
      throw new Error(
        `${key} does not match the contract: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(body).slice(0, 500)}`,
      );
    }
  }
}

function rewrite(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewrite);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `spec.json${v}` : rewrite(v)]),
  );
}
