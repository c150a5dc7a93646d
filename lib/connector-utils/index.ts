// Public API of the nflex-connector-utils port: one `export … from` line per module.

export * from './account';
export * from './cassette';
export { CmpApiError } from './cmp-api';
export * from './connections';
export * from './context';
export * from './datetime';
export * from './errors';
export * from './image';
export * from './ip-address';
export * from './locations';
export * from './logger';
export * from './mapping';
export * from './metadata';
export * from './other-resources';
export * from './parser';
export * from './py-errors';
export * from './resources';
export * from './tasks';
export * from './time/clock';
export * from './time/precise';
export * from './time/setup-time-interval';
