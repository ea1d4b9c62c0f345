/** Weekly sweeps: state dir, lineage (stable cluster ids and events), diff, case book, alerts, locking. */
export * from './lineage';
export * from './alerts';
export * from './casebook';
export * from './since-last-sweep';
export * from './diff';
export * from './members';
export { ACCOUNT_STATUS_FILE } from './account-status';
export * from './render';
export * from './session';
export { acquireStateLock, LOCK_FILE, type LockOwner, type StateLock } from './lock';
export {
  openState,
  recoverState,
  STATE_FORMAT_VERSION,
  STATE_LAYOUT,
  HISTORY_FILES,
  type StateDir,
  type StateFile,
  type StateSweepEntry,
} from './state';
