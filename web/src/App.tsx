import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type Me, SessionExpiredError } from './api';
import type { Session } from './auth';
import { Status } from './components/Status';
import { href, parseRoute, type Route } from './route';
import { useAsync } from './useAsync';
import { ExamView } from './views/ExamView';
import { GrantView } from './views/GrantView';
import { OverviewView } from './views/OverviewView';
import { PublicView } from './views/PublicView';
import { SqlView } from './views/SqlView';
import { StudentView } from './views/StudentView';
import { TrendsView } from './views/TrendsView';
import type { WebAppConfig } from './WebAppConfig';

/** Views that need a signed-in caller; everything else (the open data) does not. */
const SIGNED_IN_VIEWS = new Set(['overview', 'exam', 'trends', 'student', 'grant', 'sql']);

export function App(props: { readonly config: WebAppConfig; readonly session: Session; readonly notice?: string }) {
  const { config, session } = props;
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  const [, setVersion] = useState(0);
  const [notice, setNotice] = useState(props.notice);
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    const off = session.onChange(() => {
      if (session.signedIn) setNotice(undefined);
      setVersion((v) => v + 1);
    });
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, [session]);
  const signedIn = session.signedIn;
  const api = useMemo(() => {
    const client = new ApiClient(config, () => session.signedIn?.idToken);
    return client;
  }, [config, session]);
  // The token the API refused: the session is over, the user signs in again (the route is kept).
  const onExpired = (error: unknown) => {
    if (error instanceof SessionExpiredError && session.signedIn) {
      setNotice(`Your session has ended (${error.detail}). Sign in again.`);
      session.expire();
    }
  };
  const me = useAsync(async () => {
    if (!signedIn) return undefined;
    try {
      return await api.me();
    } catch (err) {
      onExpired(err);
      throw err;
    }
  }, [signedIn?.idToken]);
  const view = route.view || (signedIn ? 'overview' : 'open');
  const needsSignIn = SIGNED_IN_VIEWS.has(view);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">examlake</span>
        <nav aria-label="Views">
          <ul>
            {signedIn && <NavLink view="overview" current={view} label="Overview" />}
            {signedIn && <NavLink view="trends" current={view} label="Trends" />}
            {signedIn && me.state === 'done' && (me.value?.role === 'school_admin' || me.value?.role === 'analyst') && (
              <NavLink view="student" current={view} label="Students" />
            )}
            {signedIn && me.state === 'done' && me.value?.role === 'partner' && (
              <NavLink view="grant" current={view} label="Grant" />
            )}
            {signedIn && me.state === 'done' && me.value?.role === 'analyst' && (
              <NavLink view="sql" current={view} label="SQL" />
            )}
            <NavLink view="open" current={view} label="Open data" />
            {signedIn && me.state === 'done' && (me.value?.role === 'analyst' || me.value?.role === 'steward') && (
              <li>
                <a href={config.docsUrl}>API (Swagger UI)</a>
              </li>
            )}
          </ul>
        </nav>
        <div class="who">
          {signedIn ? (
            <>
              <span data-testid="signed-in-as">
                {me.state === 'done' && me.value ? describe(me.value) : 'Signed in'}
              </span>
              <button type="button" onClick={() => void session.signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <button type="button" onClick={() => void session.signIn(window.location.hash || href('overview'))}>
              Sign in
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {(notice || (!signedIn && session.endedBy === 'expiry')) && (
          <p class="notice" role="status">
            {notice ?? 'Your session has expired: sign in again.'}
          </p>
        )}
        {needsSignIn && !signedIn ? (
          <section aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">Sign in to see this page</h1>
            <p>School administrators, partners and analysts sign in; the open data needs no sign-in.</p>
            <button type="button" class="primary" onClick={() => void session.signIn(window.location.hash)}>
              Sign in
            </button>
          </section>
        ) : needsSignIn ? (
          <Status result={me} what="who you are">
            {(value) =>
              value ? (
                <SignedInView
                  api={api}
                  me={value}
                  route={{ ...route, view }}
                  onError={onExpired}
                  docsUrl={config.docsUrl}
                />
              ) : null
            }
          </Status>
        ) : (
          <PublicView api={api} route={route} />
        )}
      </main>
    </>
  );
}

function SignedInView(props: {
  readonly api: ApiClient;
  readonly me: Me;
  readonly route: Route;
  readonly onError: (error: unknown) => void;
  readonly docsUrl: string;
}) {
  // Every view's requests go through this client: a 401 on any of them ends the session.
  const api = useMemo(() => watchedClient(props.api, props.onError), [props.api, props.onError]);
  switch (props.route.view) {
    case 'exam':
      return <ExamView api={api} route={props.route} />;
    case 'trends':
      return <TrendsView api={api} me={props.me} route={props.route} />;
    case 'grant':
      return <GrantView me={props.me} />;
    case 'student':
      return <StudentView api={api} route={props.route} />;
    case 'sql':
      return <SqlView api={api} docsUrl={props.docsUrl} />;
    default:
      return <OverviewView api={api} me={props.me} route={props.route} />;
  }
}

function watchedClient(api: ApiClient, onError: (error: unknown) => void): ApiClient {
  const watch =
    <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        return await call(...args);
      } catch (err) {
        onError(err);
        throw err;
      }
    };
  return Object.assign(Object.create(api) as ApiClient, {
    me: watch(api.me.bind(api)),
    report: watch(api.report.bind(api)),
    openReport: watch(api.openReport.bind(api)),
    sql: watch(api.sql.bind(api)),
  });
}

function NavLink(props: { readonly view: string; readonly current: string; readonly label: string }) {
  return (
    <li>
      <a href={href(props.view)} aria-current={props.view === props.current ? 'page' : undefined}>
        {props.label}
      </a>
    </li>
  );
}

function describe(me: Me): string {
  if (me.role === 'school_admin') return `School administrator: ${[...me.schoolIds, ...me.districtIds].join(', ')}`;
  if (me.role === 'partner') return `Partner ${me.partnerId ?? ''}`;
  return me.role === 'analyst' ? 'Analyst' : 'Data steward';
}
