// The metric-mapping module of the nflex-connector-utils port (see metric-mapping.ts).
export * from './metric-mapping';
