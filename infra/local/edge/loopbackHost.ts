/** Names every local server answers to: the loopback addresses and `localhost`. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Wildcard bind addresses: they name no host a client would send. */
const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Whether a request's `Host` header names this machine's loopback (`localhost` and its subdomains, `127.0.0.1`,
 * `[::1]`, with any port), or the specific address the server was bound to. A web page that rebinds its own DNS name to 127.0.0.1
 * still sends its own name as Host, so checking it stops DNS rebinding: the browser may connect, but the local
 * stack refuses to answer. A missing Host is refused too.
 */
export function isLoopbackHost(host: string | undefined, boundHost?: string): boolean {
  if (!host) return false;
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host.trim().toLowerCase())?.[1];
  if (name === undefined) return false;
  // `<bucket>.localhost`: S3 virtual-host style. Browsers resolve every `.localhost` name to loopback themselves
  // (RFC 6761), so no web page can be served from one by DNS.
  if (LOOPBACK_NAMES.has(name) || /^[a-z0-9][a-z0-9.-]*\.localhost$/.test(name)) return true;
  const bound = boundHost?.toLowerCase();
  if (!bound || WILDCARDS.has(bound)) return false;
  return name === bound || name === `[${bound}]`;
}

/** The refusal: 403 with a message saying which names are answered. */
export function hostRefusal(host: string | undefined): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body:
      `Host ${JSON.stringify(host ?? '')} is not this machine's loopback: the local stack answers only requests ` +
      'addressed to localhost, 127.0.0.1 or [::1] (protection against DNS rebinding). Use one of those names.\n',
  };
}
