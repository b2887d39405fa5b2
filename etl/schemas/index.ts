/**
 * The dataset schemas: one declarative definition per dataset, and everything derived from it (header
 * mapping, validation rules, reject reasons, Glue tables, the JSON document for the Glue job, the data
 * dictionary).
 */
export * from './columnTypes';
export * from './curatedColumns';
export * from './curatedLayout';
export type * from './DatasetSchema';
export * from './datasets';
export * from './errors';
export * from './examResults';
export * from './glueTableInput';
export * from './identifier';
export * from './inferDataset';
export * from './itemResponses';
export * from './normalizeHeaderName';
export * from './parseField';
export * from './rejectReasons';
export * from './renderDataDictionary';
export * from './resolveHeader';
export * from './schemaDocument';
export * from './sharedColumns';
export * from './validateRecord';
