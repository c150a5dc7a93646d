// Public API of the nflex-connector-utils port. Keep this file a plain list of `export … from` lines
// (two engineers edit it; one line per module keeps merges trivial).
export * from './time/clock';
export * from './time/precise';
