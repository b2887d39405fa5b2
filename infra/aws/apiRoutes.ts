import path from 'node:path';
import { loadOpenApiContract, operationsOf } from '../../api/http/openapiDocument';
import { PROJECT_ROOT } from './constructs/ExamlakeFunction';

/** One operation of `openapi.yaml` as API Gateway exposes it. */
export interface ApiRoute {
  readonly operationId: string;
  /** Path template as API Gateway writes it (`/v1/reports/{reportId}`, the same as OpenAPI's). */
  readonly path: string;
  readonly method: string;
  /** `security: []` in the contract: reachable without a token, so no authorizer. */
  readonly public: boolean;
  /** Partners may call it (`x-examlake-roles` lists `partner`). */
  readonly partner: boolean;
}

/**
 * The routes of the contract: every operation of `openapi.yaml`, public where the operation declares
 * `security: []`. The REST API is built from this list, so a request for anything the contract does not define
 * is refused by API Gateway without invoking the function, and a protected route cannot be published without
 * the authorizer by forgetting it in code.
 */
export function apiRoutes(file = path.join(PROJECT_ROOT, 'openapi.yaml')): ApiRoute[] {
  const { document } = loadOpenApiContract(file);
  const globalSecurity = document.security ?? [];
  return operationsOf(document).map(({ pathTemplate, method, operation }) => {
    if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${pathTemplate} has no operationId`);
    const security = operation.security ?? globalSecurity;
    return {
      operationId: operation.operationId,
      path: pathTemplate,
      method: method.toUpperCase(),
      public: security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0),
      partner: (operation['x-examlake-roles'] ?? []).includes('partner'),
    };
  });
}
