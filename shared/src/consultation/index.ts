export * from './grouping';
export * from './lexicon';
export * from './views';
