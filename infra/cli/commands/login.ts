import { type Command, InvalidArgumentError } from 'commander';
import { LOCAL_CLIENT_ID } from '../../local/identity/LocalIssuer';
import { LOGIN_CALLBACK_PORT } from '../../signIn';
import { signInWithLoopback } from '../loopbackSignIn';

interface LoginFlags {
  domain: string;
  clientId: string;
  port: number;
}

/**
 * `examlake login`: signs in through a browser (authorization code + PKCE, loopback redirect) and prints only the
 * ID token, so it pipes: `TOKEN=$(npx examlake login --domain … --client-id …)`. Locally the defaults reach the
 * local issuer's sign-in page on `npm start`'s gateway.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description(
      'Sign in through a browser (OAuth authorization code + PKCE) and print the ID token the API accepts. On AWS: ' +
        '--domain <HostedDomainUrl> --client-id <UserPoolClientId> (stack outputs); locally the defaults.',
    )
    .option('--domain <url>', 'base URL of /oauth2/authorize and /oauth2/token', url, 'http://127.0.0.1:3000')
    .option('--client-id <id>', 'the app client', LOCAL_CLIENT_ID)
    .option(
      '--port <port>',
      'port of the loopback redirect http://localhost:<port>/callback',
      port,
      LOGIN_CALLBACK_PORT,
    )
    .action(async (flags: LoginFlags) => {
      const tokens = await signInWithLoopback({
        domainUrl: flags.domain,
        clientId: flags.clientId,
        port: flags.port,
        onAuthorizeUrl: (authorizeUrl) =>
          process.stderr.write(`Open this address in a browser and sign in:\n\n  ${authorizeUrl}\n\n`),
      });
      process.stdout.write(`${tokens.idToken}\n`);
    });
}

function url(value: string): string {
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)) {
    throw new InvalidArgumentError(
      'give the base URL, e.g. https://examlake-dev-123.auth.eu-west-1.amazoncognito.com.',
    );
  }
  return value.replace(/\/+$/, '');
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('give a port from 0 to 65535.');
  return n;
}
