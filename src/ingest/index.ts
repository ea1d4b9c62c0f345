/** The streaming importer: input folder → World. */
export { importWorld, type ImportOptions } from './importWorld';
export { defaultRejectsPath, REJECTS_HEADER } from './rejects';
