/** An HTTP request as the local gateway hands it to a service mounted beside the API. */
export interface MountedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** The answer of a mounted service. */
export interface MountedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A local service the gateway serves beside the API on the same origin (the local OIDC provider: on AWS the
 * Cognito hosted domain plays its part). Offered every request first; undefined passes it on to the API.
 */
export type MountedService = (request: MountedRequest) => Promise<MountedAnswer | undefined>;
