export * from './agenda';
export * from './domain';
export * from './errors';
export * from './events';
export * from './limits';
export * from './rest';
export * from './speakers';
export * from './voting';
