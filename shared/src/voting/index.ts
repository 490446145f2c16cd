export * from './ballot';
export * from './errors';
export * from './evaluate';
export * from './lifecycle';
export * from './limits';
export * from './roles';
export * from './settings';
export * from './tally';
