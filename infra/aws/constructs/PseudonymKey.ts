import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface PseudonymKeyProps {
  /**
   * Delete the key with the stack.
   * @default false: the key is retained
   */
  readonly destroyOnRemoval?: boolean;
}

/**
 * The HMAC key behind `student_key`, the stable pseudonym of `student_id` in the curated data (DESIGN §3). It is
 * state, not configuration: a new key gives every student a new pseudonym, breaking every join and trend across
 * loads. So it is generated once, kept in the stateful stack, retained, and never rotated automatically.
 */
export class PseudonymKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: PseudonymKeyProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'examlake: HMAC key of the student_key pseudonym (rotating it changes every pseudonym)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the pseudonym key would change every student_key and break joins across loads; it is state, ' +
        'retained with the data, and changed only with a full reprocess (docs/deploy.md).',
    });
  }
}
