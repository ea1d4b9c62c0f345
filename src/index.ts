/** Public API: the pipeline's entry functions and the types passed between stages. */
export * from './core/errors';
export * from './core/world';
export * from './core/partition';
export { SOFTWARE } from './core/version';
export * from './core/csv';
export { saveWorld, loadWorld } from './core/snapshot';
export * from './score/types';
export * from './sweep/types';
export { loadSweep, type SavedSweep } from './sweep/load';
export * from './graph';
export * from './detect';
