import type { TableInput } from '@aws-sdk/client-glue';
import { Stack } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { toCfnTableInput } from './toCfnTableInput';

export interface DataCatalogProps {
  /** Glue database name; queries name it, so it is fixed rather than generated. */
  readonly databaseName: string;
  readonly description: string;
  /**
   * One Glue TableInput per dataset, as `glueTableInput()` of `etl/schemas` builds it (columns, Parquet
   * storage, partition projection): the same input the local stack's catalog receives.
   */
  readonly tables: readonly TableInput[];
}

/**
 * The Glue database and one table per dataset. Partition projection in each table's parameters lets Athena
 * compute partitions from the `year=/month=` layout, so there are no crawlers and no MSCK REPAIR.
 *
 * The catalog is left to CloudFormation's default deletion policy: it holds no data (that lives in the retained
 * curated bucket) and is rebuilt from the schemas, while a retained database with its fixed name would make the
 * next deployment of the stack fail with AlreadyExists.
 */
export class DataCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly databaseName: string;
  /** Tables by name (the dataset name). */
  readonly tables: ReadonlyMap<string, CfnTable>;

  constructor(scope: Construct, id: string, props: DataCatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: props.databaseName, description: props.description },
    });
    const tables = new Map<string, CfnTable>();
    for (const input of props.tables) {
      const tableInput = toCfnTableInput(input);
      const name = tableInput.name!;
      if (tables.has(name)) throw new Error(`Glue table ${name} is defined twice`);
      const table = new CfnTable(this, `Table-${name}`, { catalogId, databaseName: props.databaseName, tableInput });
      table.addResourceDependency(this.database);
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
