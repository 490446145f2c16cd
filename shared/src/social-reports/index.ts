export * from './machine';
export * from './views';
