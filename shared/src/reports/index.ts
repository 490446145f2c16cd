export * from './dashboard';
export * from './period';
