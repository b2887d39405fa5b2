/** An OpenAPI path template (`/v1/reports/{reportId}`) compiled to a matcher. */
export interface CompiledPath {
  /** Anchored: matches a whole request path, each `{name}` one non-empty segment. */
  readonly pattern: RegExp;
  /** The template's parameter names, in order. */
  readonly paramNames: readonly string[];
}

/**
 * Compiles a path template. Shared by the API's router and the local gateway (which routes as API Gateway does
 * before the Lambda runs), so both read the contract's paths by the same rule.
 */
export function compilePathTemplate(template: string): CompiledPath {
  const paramNames: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

/**
 * The path parameters of `path` under a compiled template (percent-decoded; a segment that does not decode is
 * kept as sent), or undefined when the path does not match.
 */
export function matchPath(compiled: CompiledPath, path: string): Record<string, string> | undefined {
  const m = compiled.pattern.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  compiled.paramNames.forEach((name, i) => {
    params[name] = safeDecode(m[i + 1]!);
  });
  return params;
}

/** Routes with fewer parameters first, so a literal segment wins over a parameter if two templates could match. */
export function byLiteralFirst(a: CompiledPath, b: CompiledPath): number {
  return a.paramNames.length - b.paramNames.length;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
