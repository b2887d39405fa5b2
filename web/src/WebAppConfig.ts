/**
 * What the web app needs to know about the deployment it runs in, served next to it as `config.json`. Written
 * from the same values as the served contract (`EXAMLAKE_PUBLIC_URL`, the OAuth domain, the app client): locally
 * by the local gateway, on AWS by the docs site's deployment. Types only: both the browser and Node import it.
 */
export interface WebAppConfig {
  /** The REST API's base URL without a trailing slash (`http://127.0.0.1:3000`, `https://…/api`). */
  readonly apiUrl: string;
  /**
   * The OpenID Connect authority whose discovery document the sign-in reads: the local gateway's URL, or
   * `https://cognito-idp.<region>.amazonaws.com/<pool id>` on AWS.
   */
  readonly authority: string;
  /** The app client the app signs in as; the API accepts ID tokens of this client only. */
  readonly clientId: string;
  /**
   * Where sign-out sends the browser after forgetting the tokens (Cognito's `/logout`, which ends the hosted UI's
   * session too); none locally: the local provider keeps no session.
   */
  readonly signOutUrl?: string;
  /** Swagger UI, linked for analysts. */
  readonly docsUrl: string;
}
