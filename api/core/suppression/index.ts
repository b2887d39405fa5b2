export * from './determinedCells';
export * from './hierarchicalTable';
export * from './intervalAudit';
export * from './LinearTable';
export * from './suppressCells';
