import type { WebAppConfig } from '../../../web/src/WebAppConfig';
import { buildWebApp, WEB_APP_PATH, type WebAppFiles, webAppConfigFile } from '../../web/buildWebApp';
import type { MountedAnswer, MountedRequest, MountedService } from './MountedService';

/**
 * The web app beside the API on the gateway's origin (as CloudFront serves it beside Swagger UI on AWS): the page
 * at `/` (and `/app/`), its bundle under `/app/`, and `/app/config.json` written from the same values as the served
 * contract. Same origin as the API, so locally no CORS is involved.
 */
export class WebAppSite {
  private constructor(
    private readonly files: WebAppFiles,
    private readonly config: { readonly type: string; readonly body: Buffer },
    private readonly contentSecurityPolicy: string,
  ) {}

  /** Builds the bundle (about a second) and serves it with `config`. */
  static create(config: WebAppConfig): WebAppSite {
    const connect = new Set(["'self'", new URL(config.apiUrl).origin, new URL(config.authority).origin]);
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      // Observable Plot styles its SVG with a <style> element and style attributes.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src ${[...connect].join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join('; ');
    return new WebAppSite(buildWebApp(), webAppConfigFile(config), csp);
  }

  /** The paths the page answers at (the redirect URIs to register for it, under the gateway's URL). */
  static readonly PAGE_PATHS = ['/', WEB_APP_PATH, `${WEB_APP_PATH}index.html`] as const;

  readonly handle: MountedService = async (request: MountedRequest): Promise<MountedAnswer | undefined> => {
    const { pathname } = request.url;
    const isPage = (WebAppSite.PAGE_PATHS as readonly string[]).includes(pathname);
    if (!isPage && !pathname.startsWith(WEB_APP_PATH)) return undefined;
    const name = isPage ? 'index.html' : pathname.slice(WEB_APP_PATH.length);
    const file = name === 'config.json' ? this.config : this.files.get(name);
    if (!file) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' }, body: 'GET or HEAD only' };
    }
    return {
      status: 200,
      headers: {
        'content-type': file.type,
        // The bundle's names are not content-hashed: a browser revalidates, and a restart's new build is seen.
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...(file.type.startsWith('text/html') ? { 'content-security-policy': this.contentSecurityPolicy } : {}),
      },
      body: file.body.toString('utf8'),
    };
  };
}
