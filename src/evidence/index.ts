/** Evidence packs: build a BagIt 1.0 bag for one cluster of a saved sweep, zipped deterministically, and verify one. */
export { buildEvidencePack, CASE_DECISIONS_FILE, PACK_README, packCommandLine, PAYLOAD_DESCRIPTIONS } from './pack';
export type { BuildEvidenceOptions, EvidencePack, EvidencePackFile, PackCaseDecision, PackReview } from './pack';
export { OPTIONAL_PACK_FILES, REQUIRED_PACK_FILES, verifyEvidencePack } from './verify';
export type { SignatureOutcome, VerifyOptions, VerifyProblem, VerifyProblemKind, VerifyResult } from './verify';
export {
  generateSigningKeyPair,
  keyFingerprint,
  loadSigningKey,
  loadVerifyKey,
  opensslVerifyCommand,
  SIGNATURE_FILE,
  SIGNED_FILE,
} from './signature';
export type { GeneratedKeyPair } from './signature';
export { loadEvidenceInput } from './sweep-input';
export { createPseudonymizer } from './pseudonymize';
export type { Pseudonymizer, PseudonymKind } from './pseudonymize';
export type { EvidenceCluster, EvidenceHub, EvidenceInput, EvidenceInputFile, EvidenceMember, EvidenceReason, EvidenceSweep } from './types';
export { readZip, writeZip } from './zip';
export type { ReadZipEntry, ZipEntryInput } from './zip';
