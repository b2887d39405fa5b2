import type { TableInput } from '@aws-sdk/client-glue';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { splitTableInput } from '../../catalog/tableSchema';
import type { TableSchemaProperties } from '../../catalog/tableSchemaHandler';
import { ExamlakeFunction } from './ExamlakeFunction';
import { toCfnTableInput } from './toCfnTableInput';

/** Resource type of a dataset table's schema (`infra/catalog/tableSchemaHandler.ts`). */
export const TABLE_SCHEMA_RESOURCE_TYPE = 'Custom::GlueTableSchema';

export interface DataCatalogProps {
  /** Glue database name; queries name it, so it is fixed rather than generated. */
  readonly databaseName: string;
  readonly description: string;
  /**
   * One Glue TableInput per dataset, as `glueTableInput()` of `etl/schemas` builds it (columns, Parquet
   * storage, partition projection): the same input the local stack's catalog receives.
   */
  readonly tables: readonly TableInput[];
  /** Days the schema function's log group keeps events. */
  readonly logRetentionDays: number;
  /** Keep that log group when the stack is deleted. */
  readonly retainLogs: boolean;
  /** @default false (see `ExamlakeFunctionProps.sourceMaps`) */
  readonly sourceMaps?: boolean;
}

/**
 * The Glue database and one table per dataset. Partition projection in each table's parameters lets Athena
 * compute partitions from the `year=/month=` layout, so there are no crawlers and no MSCK REPAIR.
 *
 * A table has two owners, each of its own fields: this stack owns the schema, the transform job owns `Location`,
 * `storage.location.template` and `examlake.data_version` (every run moves them to the version it commits). An
 * `AWS::Glue::Table` would write its template's location and version back on every stack update (Athena then
 * reads an empty prefix, and the next incremental run finds no previous version), so each table is a
 * `Custom::GlueTableSchema` instead: created with the initial location and version, and on update given the
 * template's schema merged into the live table (`infra/catalog/ensureTableSchema.ts`).
 *
 * The catalog is left to CloudFormation's default deletion policy: it holds no data (that lives in the retained
 * curated bucket) and is rebuilt from the schemas, while a retained database with its fixed name would make the
 * next deployment of the stack fail with AlreadyExists.
 */
export class DataCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly databaseName: string;
  /** Each table's schema resource, by table name (the dataset name). */
  readonly tables: ReadonlyMap<string, CustomResource>;
  /** The function behind the schema resources. */
  readonly schemaFunction: ExamlakeFunction;

  constructor(scope: Construct, id: string, props: DataCatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: props.databaseName, description: props.description },
    });
    this.schemaFunction = new ExamlakeFunction(this, 'TableSchema', {
      entry: 'infra/catalog/tableSchemaHandler.ts',
      description: 'Custom::GlueTableSchema: gives a dataset table its schema, keeping the location and data version',
      serviceName: 'examlake-catalog',
      timeout: Duration.minutes(2),
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      sourceMaps: props.sourceMaps,
    });
    const tableNames = props.tables.map((t) => t.Name!);
    this.schemaFunction.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'OwnTheDatasetTableSchemas',
        actions: ['glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable'],
        resources: [this.catalogArn, this.databaseArn, ...tableNames.map((name) => this.tableArn(name))],
      }),
    );
    const tables = new Map<string, CustomResource>();
    for (const input of props.tables) {
      // Refuses fields CloudFormation could not express, as an AWS::Glue::Table would.
      toCfnTableInput(input);
      const name = input.Name!;
      if (tables.has(name)) throw new Error(`Glue table ${name} is defined twice`);
      const { schema, initial } = splitTableInput(input);
      const properties: TableSchemaProperties = {
        DatabaseName: props.databaseName,
        TableSchema: Stack.of(this).toJsonString(schema),
        InitialState: Stack.of(this).toJsonString(initial),
      };
      const table = new CustomResource(this, `Table-${name}`, {
        serviceToken: this.schemaFunction.function.functionArn,
        resourceType: TABLE_SCHEMA_RESOURCE_TYPE,
        properties,
      });
      table.node.addDependency(this.database);
      // The function's rights must be in place before it runs, and stay until the tables' deletion has run.
      table.node.addDependency(this.schemaFunction.role);
      tables.set(name, table);
    }
    this.tables = tables;
  }

  /** ARN of the Glue catalog of this account and region. */
  get catalogArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'catalog' });
  }

  /** ARN of the database. */
  get databaseArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName });
  }

  /** ARN of every table in the database (Glue authorises table access on `table/<database>/<name>`). */
  tableArn(name = '*'): string {
    return Stack.of(this).formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${this.databaseName}/${name}`,
    });
  }
}
