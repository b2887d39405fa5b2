import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { parse } from 'yaml';

/** Where `openapi.yaml` lives in the source tree (and next to the bundle on Lambda). */
export const DEFAULT_OPENAPI_PATH = path.resolve(__dirname, '../../openapi.yaml');

/** The roles of DESIGN §5 as the spec's `x-examlake-roles` lists them. */
export const ROLES = ['public', 'school_admin', 'partner', 'analyst', 'steward'] as const;
export type Role = (typeof ROLES)[number];

/** An operation of the contract, with the examlake extension typed. */
export type ExamlakeOperation = OpenAPIV3_1.OperationObject<{ 'x-examlake-roles': Role[] }>;

/** The contract: its text (served at `/openapi.yaml`) and the parsed document. */
export interface OpenApiContract {
  readonly text: string;
  readonly document: OpenAPIV3_1.Document;
}

/** Reads and parses the contract once (cold start); a malformed file fails fast with its path. */
export function loadOpenApiContract(file: string = DEFAULT_OPENAPI_PATH): OpenApiContract {
  const text = readFileSync(file, 'utf8');
  const document = parse(text) as OpenAPIV3_1.Document;
  if (typeof document !== 'object' || document === null || !String(document.openapi).startsWith('3.1')) {
    throw new Error(`${file} is not an OpenAPI 3.1 document.`);
  }
  return Object.freeze({ text, document });
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Every operation of the document with its path template and method. */
export function operationsOf(
  document: OpenAPIV3_1.Document,
): { pathTemplate: string; method: HttpMethod; operation: ExamlakeOperation }[] {
  const out: { pathTemplate: string; method: HttpMethod; operation: ExamlakeOperation }[] = [];
  for (const [pathTemplate, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item?.[method] as ExamlakeOperation | undefined;
      if (operation) out.push({ pathTemplate, method, operation });
    }
  }
  return out;
}
