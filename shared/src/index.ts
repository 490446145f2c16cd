export * from './domain';
export * from './errors';
export * from './events';
export * from './limits';
export * from './poll';
export * from './rest';
