import { DeleteTableCommand, EntityNotFoundException, GlueClient } from '@aws-sdk/client-glue';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ensureTableSchema } from './ensureTableSchema';
import type { JobOwnedState, TableSchema } from './tableSchema';

/**
 * Properties of the `Custom::GlueTableSchema` resource (`infra/aws/constructs/DataCatalog.ts`). CloudFormation
 * passes custom-resource properties as strings, so the structures travel as JSON.
 */
export interface TableSchemaProperties {
  readonly DatabaseName: string;
  /** JSON of the TableInput without Location, storage.location.template and examlake.data_version. */
  readonly TableSchema: string;
  /** JSON of the job-owned state a new table starts with; read on Create only. */
  readonly InitialState: string;
}

/** Physical id of a resource whose Create failed: its Delete (on rollback) must not delete a table it never made. */
const NOT_CREATED = 'not-created:';

/** Built on first use, so the client reads its configuration (region, endpoint) when the function runs. */
let client: GlueClient | undefined;
const glue = (): GlueClient => {
  client ??= new GlueClient({});
  return client;
};

/**
 * The Lambda behind `Custom::GlueTableSchema`: Create and Update give the table its schema (`ensureTableSchema`,
 * which keeps what the transform job owns), Delete drops the table (it holds no data: that stays in the curated
 * bucket). Every outcome is answered to CloudFormation's pre-signed URL, failures with their reason, so a stack
 * never waits for a timeout.
 */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  const props = event.ResourceProperties as unknown as TableSchemaProperties & { ServiceToken: string };
  let physicalId = event.RequestType === 'Create' ? `${NOT_CREATED}${event.RequestId}` : event.PhysicalResourceId;
  try {
    const schema = JSON.parse(props.TableSchema) as TableSchema;
    const id = `${props.DatabaseName}.${schema.Name}`;
    if (event.RequestType === 'Delete') {
      if (!physicalId.startsWith(NOT_CREATED)) await deleteTable(props.DatabaseName, schema.Name!);
    } else {
      const outcome = await ensureTableSchema(
        glue(),
        props.DatabaseName,
        schema,
        JSON.parse(props.InitialState) as JobOwnedState,
      );
      console.log(JSON.stringify({ message: 'table schema', table: id, outcome, requestType: event.RequestType }));
      physicalId = id;
    }
    await respond(event, physicalId, 'SUCCESS');
  } catch (err) {
    console.error(JSON.stringify({ message: 'table schema failed', error: String(err) }));
    await respond(event, physicalId, 'FAILED', err instanceof Error ? err.message : String(err));
  }
}

async function deleteTable(database: string, name: string): Promise<void> {
  try {
    await glue().send(new DeleteTableCommand({ DatabaseName: database, Name: name }));
  } catch (err) {
    if (!(err instanceof EntityNotFoundException)) throw err;
  }
}

async function respond(
  event: CloudFormationCustomResourceEvent,
  physicalId: string,
  status: 'SUCCESS' | 'FAILED',
  reason?: string,
): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ? reason.slice(0, 3000) : `See the function's log stream`,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // The URL is pre-signed without a content type: send none.
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation refused the response: ${res.status} ${await res.text()}`);
}
