export * from './dashboard';
export * from './paper';
export * from './period';
export * from './themes';
