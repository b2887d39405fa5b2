import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { deployedContract } from '../../../api/http/deployedContract';
import type { WebAppConfig } from '../../../web/src/WebAppConfig';
import { WEB_APP_PATH, WEB_APP_SOURCE, writeWebApp } from '../../web/buildWebApp';
import { everyFinding } from '../ExamlakeNagChecks';
import { PROJECT_ROOT } from './ExamlakeFunction';

export interface DocsSiteProps {
  /** The docs bucket of the stateful stack; its policy already admits this account's distributions. */
  readonly bucket: IBucket;
  /** The API's base URL without a trailing slash (`https://…/api`): the Swagger UI's "Try it out" calls it. */
  readonly apiBaseUrl: string;
  /** The app client Swagger UI signs users in with: the API's, whose tokens the API accepts (`aud`). */
  readonly clientId: string;
  /** Base URL of the Cognito hosted domain (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly hostedDomainUrl: string;
  /** The user pool (`<region>_<id>`): the web app's OIDC authority is its issuer URL. */
  readonly userPoolId: string;
  /** Days the deployment function's log group keeps events. */
  readonly logRetentionDays: number;
}

/** Files of `swagger-ui-dist` the docs site needs; source maps and the ES bundles stay out. */
const SWAGGER_UI_EXCLUDES = ['*.map', '*es-bundle*', 'log.*', 'swagger-initializer.js', 'index.js', 'absolute-path.js'];

/**
 * The Swagger UI on S3 behind CloudFront: the docs bucket stays private and CloudFront reads it through origin
 * access control. The published `openapi.yaml` is the contract with its `servers` pointed at the API stage and
 * its OAuth URLs at the hosted domain; the initializer signs users in with the authorization-code flow and PKCE
 * through the API's app client, since the API accepts ID tokens of that one client only. That client lives in
 * the stateful stack, which cannot know this distribution's address: the operator adds
 * `<url>/oauth2-redirect.html` to its callback URLs with a second deployment (docs/deploy.md).
 */
export class DocsSite extends Construct {
  readonly distribution: Distribution;
  /** What the web app reads from `app/config.json`: the published contract's values, with the user pool's issuer. */
  readonly webAppConfig: WebAppConfig;

  constructor(scope: Construct, id: string, props: DocsSiteProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    // Imported by name: the L2 origin would otherwise add a statement naming this distribution to the bucket's
    // policy, in the stateful stack, making it depend on this one (the policy there already admits it).
    const bucket = Bucket.fromBucketAttributes(this, 'Bucket', {
      bucketName: props.bucket.bucketName,
      bucketRegionalDomainName: props.bucket.bucketRegionalDomainName,
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'examlake docs: security headers for Swagger UI',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // Swagger UI sets inline styles on its elements.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            // The web app reads the user pool's discovery document and JWKS from cognito-idp.
            `connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://*.amazoncognito.com https://cognito-idp.${region}.amazonaws.com`,
            "frame-ancestors 'none'",
            "form-action 'self' https://*.amazoncognito.com",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'examlake API documentation (Swagger UI) and web app (/app/)',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });
    const origin = this.distribution.node.findAll().find((c) => c.node.id === 'Origin1');
    if (origin) {
      // The docs bucket's policy (DataBuckets, stateful stack) already admits this account's distributions.
      Annotations.of(origin).acknowledgeWarning('@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac');
    }
    const acknowledge = (rule: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id: rule, reason });
    acknowledge('AwsSolutions-CFR1', 'Public API documentation: no reason to restrict it by country.');
    acknowledge(
      'AwsSolutions-CFR2',
      'Static public documentation, read-only (GET/HEAD) from a private bucket: a WAF web ACL would add cost, not protection.',
    );
    acknowledge(
      'AwsSolutions-CFR3',
      'Standard logging needs ACLs on the target bucket, which every examlake bucket disables (bucket owner enforced); the docs are public and hold no data.',
    );
    acknowledge(
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; set a custom domain and certificate to raise it.',
    );

    // The deployment's function gets a role of its own (no AWSLambdaBasicExecutionRole) and a log group with
    // the stage's retention; BucketDeployment grants it the rest.
    const deployLogs = new LogGroup(this, 'DeployLogs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'examlake docs: copies Swagger UI into the docs bucket and invalidates the distribution',
    });
    deployRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [deployLogs.logGroupArn],
      }),
    );
    Validations.of(deployRole).acknowledge({
      id: everyFinding('AwsSolutions-IAM5'),
      reason:
        "BucketDeployment's own grants: read the CDK asset bucket, write and prune the docs bucket's objects, " +
        'invalidate the distribution (no resource-level permission); this role serves only that function.',
    });
    this.webAppConfig = this.webAppConfigOf(props);
    const deployment = new BucketDeployment(this, 'Deploy', {
      role: deployRole,
      logGroup: deployLogs,
      destinationBucket: bucket,
      sources: [
        Source.asset(path.dirname(require.resolve('swagger-ui-dist/package.json')), { exclude: SWAGGER_UI_EXCLUDES }),
        Source.data(
          'openapi.yaml',
          deployedContract(readFileSync(path.join(PROJECT_ROOT, 'openapi.yaml'), 'utf8'), {
            publicUrl: props.apiBaseUrl,
            oauthDomainUrl: props.hostedDomainUrl,
          }),
        ),
        Source.data('swagger-initializer.js', initializer(props.clientId)),
        // The web app under app/: bundled by esbuild at synth (skipped, like the functions' bundling, for stacks
        // the CLI is not deploying), and its config.json from the same values as the published contract.
        Source.asset(WEB_APP_SOURCE, {
          bundling: {
            image: DockerImage.fromRegistry('node:22-alpine'),
            local: {
              tryBundle(outputDir) {
                writeWebApp(path.join(outputDir, WEB_APP_PATH));
                return true;
              },
            },
          },
        }),
        Source.jsonData(`${WEB_APP_PATH.slice(1)}config.json`, this.webAppConfig),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    // The deployment's function is a singleton at the stack's root, on the runtime CDK chose for it.
    const singleton = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!singleton) throw new Error('BucketDeployment created no function');
    Validations.of(singleton).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The BucketDeployment function (CDK-managed, Python) runs on the runtime aws-cdk-lib pins for it.',
    });
    void deployment;
  }

  /** The web app's page, its sign-in redirect URI and sign-out return address (Cognito's callback and logout URL). */
  get webAppUrl(): string {
    return `${this.url}${WEB_APP_PATH.slice(1)}index.html`;
  }

  private webAppConfigOf(props: DocsSiteProps): WebAppConfig {
    const region = Stack.of(this).region;
    return {
      apiUrl: props.apiBaseUrl,
      authority: `https://cognito-idp.${region}.amazonaws.com/${props.userPoolId}`,
      clientId: props.clientId,
      // Cognito's logout ends the hosted UI's session, then returns to the app (a registered logout URL).
      signOutUrl: `${props.hostedDomainUrl}/logout?client_id=${props.clientId}&logout_uri=${this.webAppUrl}`,
      docsUrl: this.url,
    };
  }

  /** `https://<distribution domain>`: the origin its Swagger UI calls the API from (CORS). */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** `https://<distribution domain>/`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/**
 * Swagger UI's initializer: load the published contract, sign in through the API's app client with PKCE (the
 * contract's `x-tokenName: id_token` makes it send the ID token, the only token the API accepts).
 */
function initializer(clientId: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    oauth2RedirectUrl: window.location.origin + '/oauth2-redirect.html',
  });
  window.ui.initOAuth({
    clientId: ${JSON.stringify(clientId)},
    usePkceWithAuthorizationCodeGrant: true,
    scopes: 'openid email profile',
  });
};
`;
}
