import { isScalar, isSeq, parseDocument } from 'yaml';

/** Where a deployment of the API is reached: what the served contract names instead of the repository's examples. */
export interface ContractLocation {
  /** The API's base URL, stage included (`https://<id>.execute-api.<region>.amazonaws.com/api`). */
  readonly publicUrl?: string;
  /** Base URL of `/oauth2/authorize` and `/oauth2/token` (the Cognito hosted domain, or the local gateway). */
  readonly oauthDomainUrl?: string;
}

/** Path of the OAuth flow every sign-in URL of the contract belongs to. */
const FLOW_PATH = ['components', 'securitySchemes', 'cognito', 'flows', 'authorizationCode'] as const;

/**
 * The contract's text as one deployment serves it: `servers` is the API's public URL (so Swagger UI's "Try it out"
 * keeps the API Gateway stage) and the `cognito` flow's URLs are the deployment's sign-in domain. Only those
 * values are rewritten in place; every other byte stays as written. A field left undefined keeps the
 * repository's value.
 *
 * Used by the API (`/openapi.yaml`, from `EXAMLAKE_PUBLIC_URL` and `EXAMLAKE_OAUTH_DOMAIN_URL`) and by the docs
 * site on AWS (its published copy); the values may be CDK tokens, which pass through as text.
 */
export function deployedContract(text: string, location: ContractLocation): string {
  const document = parseDocument(text);
  const servers = document.get('servers', true);
  const authorizationUrl = document.getIn([...FLOW_PATH, 'authorizationUrl'], true);
  const tokenUrl = document.getIn([...FLOW_PATH, 'tokenUrl'], true);
  if (!isSeq(servers) || !servers.range) throw new Error('openapi.yaml has no block list of servers');
  if (!isScalar(authorizationUrl) || !authorizationUrl.range || !isScalar(tokenUrl) || !tokenUrl.range) {
    throw new Error('openapi.yaml has no components.securitySchemes.cognito authorization-code flow');
  }
  const edits: { start: number; end: number; text: string }[] = [];
  if (location.publicUrl !== undefined) {
    const [start, end] = servers.range;
    const indent = ' '.repeat(start - text.lastIndexOf('\n', start) - 1 + 2);
    const item = `- url: ${JSON.stringify(location.publicUrl)}\n${indent}description: The API this document is served from.\n`;
    edits.push({ start, end, text: item });
  }
  if (location.oauthDomainUrl !== undefined) {
    for (const [node, path] of [
      [authorizationUrl, '/oauth2/authorize'],
      [tokenUrl, '/oauth2/token'],
    ] as const) {
      edits.push({
        start: node.range![0],
        end: node.range![1],
        text: JSON.stringify(`${location.oauthDomainUrl}${path}`),
      });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}
