import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/**
 * The Cognito groups of DESIGN §5, by name. Group membership is what the API reads from the token's
 * `cognito:groups` claim; the precedence only matters to Cognito when a user is in several groups.
 */
export const USER_GROUPS = {
  steward: { precedence: 10, description: 'Data stewards: manage partner grants' },
  analyst: { precedence: 20, description: 'Analysts: all rows, ad-hoc SQL' },
  school_admin: { precedence: 30, description: 'School administrators: rows of the schools or districts they hold' },
  partner: { precedence: 40, description: 'Partner organisations: what their grant in the grants table allows' },
} as const;
export type UserGroupName = keyof typeof USER_GROUPS;

/**
 * Custom attributes, without the `custom:` prefix the tokens carry. Lists are comma-separated ids.
 *
 * All are mutable: Cognito can never change an attribute's mutability (nor remove the attribute) without
 * replacing the user pool and losing every user, and an administrator must be able to move a school admin to
 * other schools. Users cannot change them: the app client's write attributes leave them out, so only an
 * administrator (AdminUpdateUserAttributes, an IAM-authorised call) can.
 */
export const CUSTOM_ATTRIBUTES = {
  school_ids: { maxLen: 2048 },
  district_ids: { maxLen: 2048 },
  partner_id: { maxLen: 64 },
} as const;
export type CustomAttributeName = keyof typeof CUSTOM_ATTRIBUTES;

export interface IdentityProps {
  /** Prefix of the hosted domain `<prefix>.auth.<region>.amazoncognito.com`; unique within the region. */
  readonly domainPrefix: string;
  /** Where the OAuth authorization-code flow may return to (the Swagger UI's `oauth2-redirect.html`). */
  readonly callbackUrls: readonly string[];
  /** Where sign-out may return to. */
  readonly logoutUrls: readonly string[];
  /**
   * Require a second factor (TOTP) at sign-in, instead of letting users enrol one.
   * @default false
   */
  readonly mfaRequired?: boolean;
  /**
   * Use the Plus feature plan with threat protection enforcing (blocks compromised credentials and risky
   * sign-ins); billed per monthly active user.
   * @default true
   */
  readonly threatProtection?: boolean;
  /**
   * CloudFormation deletion protection on the user pool.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Delete the user pool, and every user in it, with the stack.
   * @default false: the user pool is retained
   */
  readonly destroyOnRemoval?: boolean;
}

/**
 * The Cognito user pool behind the API: administrators create users (no self sign-up), users sign in by email
 * with a strong password and optional TOTP, the groups and custom attributes carry what the API's access
 * control needs, and one public app client (no secret, code flow with PKCE) serves Swagger UI and scripts.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly apiClient: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly groups: Readonly<Record<UserGroupName, UserPoolGroup>>;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const threatProtection = props.threatProtection ?? true;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: Object.fromEntries(
        Object.entries(CUSTOM_ATTRIBUTES).map(([name, { maxLen }]) => [
          name,
          new StringAttribute({ minLen: 0, maxLen, mutable: true }),
        ]),
      ),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfaRequired ? Mfa.REQUIRED : Mfa.OPTIONAL,
      // TOTP only: SMS needs an SNS role, a sandbox exit and per-message charges.
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    if (!props.mfaRequired) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional by design (stage config `mfa`): users may enrol TOTP; partners and scripts sign in ' +
          'without a phone. Set mfa=required to enforce it.',
      });
    }
    if (!threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The stage config chose the Essentials plan (identityFeaturePlan=essentials) to avoid Plus MAU charges.',
      });
    }

    this.groups = Object.fromEntries(
      Object.entries(USER_GROUPS).map(([groupName, group]) => [
        groupName,
        this.userPool.addGroup(pascalCase(groupName), { groupName, ...group }),
      ]),
    ) as Record<UserGroupName, UserPoolGroup>;

    this.domain = this.userPool.addDomain('HostedDomain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    const customAttributeNames = Object.keys(CUSTOM_ATTRIBUTES);
    this.apiClient = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...customAttributeNames),
      // Scope attributes stay out of reach of the users they restrict.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }

  /** Base URL of the hosted sign-in pages (authorize, token and logout endpoints live under it). */
  get hostedDomainUrl(): string {
    return this.domain.baseUrl();
  }

  /** The issuer of the pool's tokens, as JWT verifiers expect it. */
  get issuerUrl(): string {
    return `https://${this.userPool.userPoolProviderUrl}`;
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
