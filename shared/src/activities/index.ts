export * from './activity';
export * from './sign-in';
