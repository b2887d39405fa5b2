export * from './determinedCells';
export * from './hierarchicalTable';
export * from './LinearTable';
export * from './suppressCells';
