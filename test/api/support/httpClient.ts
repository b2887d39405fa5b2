/** A response read whole, with its body parsed when JSON. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies by path
  readonly json: any;
}

/** fetch against the local gateway, returning status, headers and the body parsed when it is JSON. */
export async function request(url: string, init: RequestInit = {}): Promise<TestResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: /json/.test(type) && text ? JSON.parse(text) : undefined,
  };
}
