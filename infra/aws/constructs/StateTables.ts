import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableRole, tableKeySchema } from '../../resources';

/** Tag carrying a table's role, as {@link BUCKET_ROLE_TAG} does for buckets. */
export const TABLE_ROLE_TAG = 'examlake:table-role';

export interface StateTablesProps {
  /**
   * Delete the tables and their items with the stack.
   * @default false: tables are retained
   */
  readonly destroyOnRemoval?: boolean;
  /**
   * CloudFormation deletion protection: a stack update or deletion that would delete a table fails.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * The DynamoDB tables of `TABLES` in `infra/resources.ts` (cache, grants, runs), with the key schema and TTL
 * attribute declared there. On-demand billing (traffic follows report usage, which is bursty and small),
 * point-in-time recovery, and encryption with the AWS-managed key, so reads and writes show up in CloudTrail
 * as KMS use without a key to administer.
 */
export class StateTables extends Construct {
  readonly cache: Table;
  readonly grants: Table;
  readonly runs: Table;

  constructor(scope: Construct, id: string, props: StateTablesProps = {}) {
    super(scope, id);
    const table = (role: TableRole): Table => {
      const definition: TableDefinition = TABLES[role];
      const [partition, sort] = tableKeySchema(definition);
      const created = new Table(this, pascalCase(role), {
        partitionKey: { name: partition!.name, type: attributeType(partition!.attributeType) },
        ...(sort ? { sortKey: { name: sort.name, type: attributeType(sort.attributeType) } } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
        deletionProtection: props.deletionProtection ?? false,
        removalPolicy: props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      });
      Tags.of(created).add(TABLE_ROLE_TAG, role);
      return created;
    };
    this.cache = table('cache');
    this.grants = table('grants');
    this.runs = table('runs');
  }

  /** The table of a role declared in `infra/resources.ts`. */
  table(role: TableRole): Table {
    return this[role];
  }
}

function attributeType(type: 'S'): AttributeType {
  switch (type) {
    case 'S':
      return AttributeType.STRING;
  }
}

function pascalCase(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}
