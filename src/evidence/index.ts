/** Evidence packs: build a BagIt 1.0 bag for one cluster of a saved sweep, zipped deterministically, and verify one. */
export { buildEvidencePack, PAYLOAD_DESCRIPTIONS } from './pack';
export type { BuildEvidenceOptions, EvidencePack, EvidencePackFile } from './pack';
export { verifyEvidencePack } from './verify';
export type { VerifyProblem, VerifyProblemKind, VerifyResult } from './verify';
export { loadEvidenceInput } from './sweep-input';
export { createPseudonymizer } from './pseudonymize';
export type { Pseudonymizer, PseudonymKind } from './pseudonymize';
export type { EvidenceCluster, EvidenceHub, EvidenceInput, EvidenceInputFile, EvidenceMember, EvidenceReason, EvidenceSweep } from './types';
export { readZip, writeZip } from './zip';
export type { ReadZipEntry, ZipEntryInput } from './zip';
