export * from './similarity';
export * from './topic-views';
export * from './topics';
export * from './tracking';
export * from './views';
