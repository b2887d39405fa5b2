import { SAMPLE_CALLERS } from './roleTokens';

/** The authorization request the page carries through its form (hidden fields), as received. */
export type AuthorizationParams = Readonly<Record<string, string>>;

/** What the developer chose on a previous submit, kept when the page is shown again with an error. */
export interface SignInChoice {
  readonly role?: string;
  readonly schools?: string;
  readonly districts?: string;
  readonly partner?: string;
}

const ROLES = [
  ['analyst', 'Analyst: every row, ad-hoc SQL'],
  ['school_admin', 'School administrator: rows of the schools or districts below'],
  ['partner', 'Partner: what the grant of the partner id below allows'],
  ['steward', 'Data steward: manages partner grants'],
] as const;

/**
 * The local issuer's sign-in page: no password, the developer picks a role and its scope. It says plainly that it
 * is the local development issuer, so nobody mistakes it for the Cognito hosted UI.
 */
export function signInPage(params: AuthorizationParams, choice: SignInChoice = {}, error?: string): string {
  const role = choice.role ?? 'analyst';
  const hidden = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n      ');
  const roles = ROLES.map(
    ([value, label]) =>
      `<label><input type="radio" name="role" value="${value}"${value === role ? ' checked' : ''}> ${esc(label)}</label>`,
  ).join('\n        ');
  const field = (name: keyof SignInChoice, label: string, fallback: string, hint: string) =>
    `<label for="${name}">${esc(label)}</label>
        <input id="${name}" name="${name}" type="text" value="${esc(choice[name] ?? fallback)}" autocomplete="off">
        <small>${esc(hint)}</small>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>examlake local sign-in</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
    .banner { background: #fff4ce; border: 1px solid #e0b400; padding: .75rem 1rem; border-radius: 4px; }
    .error { background: #fde7e9; border: 1px solid #c50f1f; padding: .75rem 1rem; border-radius: 4px; }
    fieldset { margin: 1rem 0; border: 1px solid #ccc; border-radius: 4px; }
    fieldset > label { display: block; margin: .3rem 0; }
    label[for] { display: block; margin-top: .8rem; font-weight: 600; }
    input[type=text] { width: 100%; padding: .4rem; box-sizing: border-box; }
    small { color: #555; }
    button { margin-top: 1.2rem; padding: .5rem 1.5rem; font-size: 1rem; }
  </style>
</head>
<body>
  <h1>Sign in to examlake</h1>
  <p class="banner" role="note"><strong>Local development issuer.</strong> This is not Cognito and asks for no
    password: anyone who can reach this machine can sign in as any role. Tokens it issues are accepted only by an
    examlake API running on this machine with this data dir.</p>
  ${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
  <p>Signing in to <code>${esc(params['client_id'] ?? '')}</code>, returning to <code>${esc(params['redirect_uri'] ?? '')}</code>.</p>
  <form method="post" action="authorize">
      ${hidden}
      <fieldset>
        <legend>Role</legend>
        ${roles}
      </fieldset>
      ${field('schools', 'School ids', SAMPLE_CALLERS.school_admin.schoolIds.join(','), 'school_admin: comma-separated (custom:school_ids)')}
      ${field('districts', 'District ids', '', 'school_admin: comma-separated (custom:district_ids)')}
      ${field('partner', 'Partner id', SAMPLE_CALLERS.partner.partnerId, 'partner: the key of its grant (custom:partner_id)')}
      <button type="submit">Sign in</button>
  </form>
</body>
</html>
`;
}

/** A page that explains why sign-in cannot go on (unknown client or redirect URI: never redirected to). */
export function signInErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>examlake local sign-in: error</title></head>
<body>
  <h1>Sign-in request refused</h1>
  <p role="alert">${esc(message)}</p>
  <p>This is the examlake local development issuer (docs/identity.md, "Sign in locally").</p>
</body>
</html>
`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c as '&'],
  );
}
