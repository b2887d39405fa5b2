// Types for the internals of dynalite (which ships none) that the local DynamoDB service calls in process.
declare module 'dynalite/db' {
  /** A dynalite error: `body` is DynamoDB's JSON error (`__type`, `message`), `statusCode` its HTTP status. */
  interface DynaliteError extends Error {
    statusCode?: number;
    body?: { __type: string; message?: string; [member: string]: unknown };
  }
  type Callback<T> = (err: DynaliteError | null | undefined, value?: T) => void;
  type Item = Record<string, unknown>;
  interface Table {
    TableName: string;
    TableStatus: string;
    KeySchema: { AttributeName: string; KeyType: string }[];
    [member: string]: unknown;
  }
  interface SubDb {
    get(key: string, callback: Callback<Item>): void;
  }
  interface Store {
    options: Record<string, unknown>;
    /** The LevelDB instance (classic-level), promise-based. */
    db: { open(): Promise<void>; close(): Promise<void> };
    tableDb: SubDb & { awsAccountId: string; awsRegion: string };
    getItemDb(tableName: string): SubDb;
    getTable(name: string, checkStatus: boolean, callback: Callback<Table>): void;
    lifecycleManager: { gracefulClose(callback: (err?: Error | null) => void): void };
  }
  interface CreateOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export function create(options: CreateOptions): Store;
  export function createKey(item: Item, table: Table): string;
  export function validateKey(key: Item, table: Table): DynaliteError | null | undefined;
  export function validateItem(item: Item, table: Table): DynaliteError | null | undefined;
  export function checkConditional(
    data: Record<string, unknown>,
    existingItem: Item | undefined,
  ): DynaliteError | null | undefined;
}

declare module 'dynalite/validations' {
  export function checkTypes(data: unknown, types: unknown): Record<string, unknown>;
  export function checkValidations(
    data: Record<string, unknown>,
    types: unknown,
    custom: unknown,
    store: unknown,
  ): void;
}
