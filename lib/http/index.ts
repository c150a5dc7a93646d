/** The shared HTTP layer: one client, one retry table, deadlines, bounded concurrency, redaction. */
export { HttpClient } from './client';
export * from './concurrency';
export * from './deadline';
export * from './errors';
export * from './policy';
export * from './redact';
export * from './types';
