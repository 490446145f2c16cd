export * from './machine';
export * from './stats';
export * from './views';
