export * from './api';
export * from './assessment';
export * from './bulletin';
export * from './import';
export * from './ledger';
export * from './rubric';
export * from './rubric-editor';
export * from './score';
