export * from './topics';
export * from './tracking';
