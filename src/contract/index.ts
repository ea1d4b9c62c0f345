/** The data contract: files, columns, cell parsers and the mapping file. */
export * from './columns';
export * from './cells';
export * from './mapping';
export { COUNTRY_CODES } from './countries';
