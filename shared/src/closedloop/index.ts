export * from './topics';
export * from './tracking';
export * from './views';
