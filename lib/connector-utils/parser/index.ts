// The expression-parser module of the nflex-connector-utils port (see parsers.ts).
export * from './errors';
export * from './parsers';
export { Complex, type PyNumber } from './python';
