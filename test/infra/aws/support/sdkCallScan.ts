import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * A static scan of the AWS calls a Lambda entry's code makes, as IAM actions.
 *
 * esbuild resolves the entry's import graph (the same resolution that bundles it for Lambda), so only modules
 * the function really contains are read. In each, the names imported from `@aws-sdk/client-*`,
 * `@aws-sdk/lib-dynamodb` and `@aws-sdk/lib-storage` are followed to the places they are used: `new
 * XxxCommand(` and `paginateXxx(` become the IAM action of that operation, `new Upload(` the multipart upload
 * actions. Calls built any other way (a command class passed around as a value, a dynamic import) are not
 * seen; the code base does not do that, and the test fails on any call it does see that the role lacks.
 */
export interface SdkCall {
  readonly action: string;
  /** `file:line` of the call, for failure messages. */
  readonly at: string;
}

/** IAM service prefixes whose name differs from the client package's. */
const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  'client-secrets-manager': 'secretsmanager',
  'client-cognito-identity-provider': 'cognito-idp',
  'client-eventbridge': 'events',
  'client-cloudwatch-logs': 'logs',
  'lib-dynamodb': 'dynamodb',
};

/** Operations whose IAM action is named differently (or needs more than one action). */
const ACTION_OF: Readonly<Record<string, readonly string[]>> = {
  's3:HeadObject': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  // The document client's commands are the table operations.
  'dynamodb:Get': ['dynamodb:GetItem'],
  'dynamodb:Put': ['dynamodb:PutItem'],
  'dynamodb:Update': ['dynamodb:UpdateItem'],
  'dynamodb:Delete': ['dynamodb:DeleteItem'],
  'dynamodb:BatchGet': ['dynamodb:BatchGetItem'],
  'dynamodb:BatchWrite': ['dynamodb:BatchWriteItem'],
  'dynamodb:TransactGet': ['dynamodb:GetItem'],
  'dynamodb:TransactWrite': [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
};

/**
 * Powertools Parameters providers: `new XxxProvider(` makes the calls its `get` sends. The provider is built with
 * the function's own SDK client, so the calls are the function's.
 */
const POWERTOOLS_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  'secrets:SecretsProvider': ['secretsmanager:GetSecretValue'],
  'ssm:SSMProvider': ['ssm:GetParameter', 'ssm:GetParametersByPath'],
};

/** `@aws-sdk/lib-storage`'s `Upload`: a PutObject or a multipart upload it aborts on failure. */
const UPLOAD_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];

/** Project source files in the import graph of `entry` (relative to `root`), dependencies excluded. */
export function sourcesOf(root: string, entry: string): string[] {
  const result = buildSync({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile!.inputs).filter((file) => /\.[cm]?[jt]s$/.test(file));
}

/** Every AWS call in the import graph of a TypeScript entry. */
export function sdkCallsOf(root: string, entry: string): SdkCall[] {
  return sourcesOf(root, entry).flatMap((file) => sdkCallsIn(file, readFileSync(path.join(root, file), 'utf8')));
}

/** The AWS calls of one module's source text. */
export function sdkCallsIn(file: string, source: string): SdkCall[] {
  const calls: SdkCall[] = [];
  const importPattern = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'@aws-sdk\/((?:client|lib)-[a-z0-9-]+)'/g;
  for (const [statement, names, pkg] of source.matchAll(importPattern)) {
    if (/^import\s+type\b/.test(statement)) continue;
    const service = SERVICE_PREFIX[pkg!] ?? pkg!.replace(/^client-/, '').replace(/-/g, '');
    for (const spec of names!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (spec.startsWith('type ')) continue;
      const [imported, local = imported] = spec.split(/\s+as\s+/).map((s) => s.trim()) as [string, string?];
      let actions: readonly string[] | undefined;
      let usage: RegExp | undefined;
      if (pkg === 'lib-storage' && imported === 'Upload') {
        actions = UPLOAD_ACTIONS;
        usage = new RegExp(`new\\s+${local}\\s*\\(`, 'g');
      } else if (/^[A-Z]\w*Command$/.test(imported)) {
        const operation = `${service}:${imported.replace(/Command$/, '')}`;
        actions = ACTION_OF[operation] ?? [operation];
        usage = new RegExp(`new\\s+${local}\\s*\\(`, 'g');
      } else if (/^paginate[A-Z]\w*$/.test(imported)) {
        const operation = `${service}:${imported.replace(/^paginate/, '')}`;
        actions = ACTION_OF[operation] ?? [operation];
        usage = new RegExp(`\\b${local}\\s*\\(`, 'g');
      }
      if (!actions || !usage) continue;
      for (const match of source.matchAll(usage)) {
        const line = source.slice(0, match.index).split('\n').length;
        for (const action of actions) calls.push({ action, at: `${file}:${line}` });
      }
    }
  }
  const providerImport = /import\s+\{([^}]*)\}\s+from\s+'@aws-lambda-powertools\/parameters\/([a-z]+)'/g;
  for (const [, names, module] of source.matchAll(providerImport)) {
    for (const spec of names!.split(',').map((s) => s.trim())) {
      const [imported, local = imported] = spec.split(/\s+as\s+/).map((s) => s.trim()) as [string, string?];
      const actions = POWERTOOLS_PROVIDERS[`${module}:${imported}`];
      if (!actions) continue;
      for (const match of source.matchAll(new RegExp(`new\\s+${local}\\s*\\(`, 'g'))) {
        const line = source.slice(0, match.index).split('\n').length;
        for (const action of actions) calls.push({ action, at: `${file}:${line}` });
      }
    }
  }
  return calls;
}

/**
 * boto3 operations of the services the Glue job calls, by method name: for a client the module did not bind from
 * `boto3.client(...)` itself (a parameter, an attribute `self._glue`, `clients["s3"]`). A closed list, so a
 * method of another library with one of these names is the only false positive, and it can only add a call.
 */
const BOTO3_OPERATIONS: Readonly<Record<string, string>> = {
  list_objects_v2: 's3',
  get_object: 's3',
  head_object: 's3',
  put_object: 's3',
  copy_object: 's3',
  delete_object: 's3',
  delete_objects: 's3',
  get_table: 'glue',
  update_table: 'glue',
  get_secret_value: 'secretsmanager',
  query: 'dynamodb',
  get_item: 'dynamodb',
  put_item: 'dynamodb',
  update_item: 'dynamodb',
  delete_item: 'dynamodb',
  batch_write_item: 'dynamodb',
  batch_get_item: 'dynamodb',
};

/** The Python modules under `dir` (relative to `root`), sorted: a job's script and the package it ships. */
export function pythonSourcesOf(root: string, dir: string): string[] {
  return (readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.py') && !file.split(path.sep).includes('__pycache__'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')))
    .sort();
}

/** Every boto3 call of the Python modules under `dir`. */
export function boto3CallsOf(root: string, dir: string): SdkCall[] {
  return pythonSourcesOf(root, dir).flatMap((file) => boto3CallsIn(file, readFileSync(path.join(root, file), 'utf8')));
}

/**
 * The boto3 calls of a Python script: clients and DynamoDB tables bound to a name, then `name.method(`,
 * paginators by operation name, and `batch_writer()`. Method names are snake case of the operation. A call on a
 * client bound elsewhere is recognised by its operation name (`BOTO3_OPERATIONS`).
 */
export function boto3CallsIn(file: string, source: string): SdkCall[] {
  const calls: SdkCall[] = [];
  const lineOf = (index: number) => `${file}:${source.slice(0, index).split('\n').length}`;
  const services = new Map<string, string>();
  for (const m of source.matchAll(/(\w+)\s*=\s*boto3\.client\(\s*"([a-z0-9-]+)"\s*\)\s*$/gm))
    services.set(m[1]!, m[2]!);
  for (const m of source.matchAll(/(\w+)\s*=\s*boto3\.resource\(\s*"dynamodb"\s*\)\.Table\(/g)) {
    services.set(m[1]!, 'dynamodb-table');
  }
  const record = (service: string, snake: string, index: number) => {
    const prefix = service === 'dynamodb-table' ? 'dynamodb' : service;
    const operation = snake.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    const key = `${prefix}:${operation}`;
    const tableOps: Record<string, string> = { BatchWriter: 'dynamodb:BatchWriteItem' };
    const actions =
      service === 'dynamodb-table' && tableOps[operation] ? [tableOps[operation]] : (ACTION_OF[key] ?? [key]);
    for (const action of actions) calls.push({ action, at: lineOf(index) });
  };
  // A batch writer's put_item is the BatchWriteItem its `batch_writer()` already counts.
  const batchWriters = new Set([...source.matchAll(/\.batch_writer\(\)\s+as\s+(\w+)/g)].map((m) => m[1]!));
  // name.method(…) and boto3.client("x").method(…) on a bound client; on any other receiver (`self._db.method(`,
  // `clients["s3"].method(`) a call counts by its operation name.
  const anyCall = /(?:boto3\.client\(\s*"([a-z0-9-]+)"\s*\)|(\w+)|\])\.([a-z_0-9]+)\(/g;
  for (const m of source.matchAll(anyCall)) {
    const bound = m[1] ?? services.get(m[2] ?? '');
    const method = m[3]!;
    if (method === 'get_paginator') {
      const op = source.slice(m.index! + m[0].length).match(/^\s*"([a-z_0-9]+)"/)?.[1];
      const service = bound ?? (op ? BOTO3_OPERATIONS[op] : undefined);
      if (op && service) record(service, op, m.index!);
    } else if (bound) {
      if (method !== 'Table') record(bound, method, m.index!);
    } else if (BOTO3_OPERATIONS[method] && !batchWriters.has(m[2] ?? '')) {
      record(BOTO3_OPERATIONS[method]!, method, m.index!);
    }
  }
  return calls;
}
