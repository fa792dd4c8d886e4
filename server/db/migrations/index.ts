import { Core1795390000000 } from "./0001-core.js";
import { AccessLog1795390000002 } from "./0002-access-log.js";
import { AgreementSeen1795390000003 } from "./0003-agreement-seen.js";
import { WorklistNotice1795390000004 } from "./0004-worklist-notice.js";
import { Privacy1795390000008 } from "./0008-privacy.js";
import { FieldEncryption1795390000009 } from "./0009-field-encryption.js";
import { AccessLogChainPerStatement1795390000010 } from "./0010-access-log-chain-per-statement.js";

/** Every migration, in order. Listed explicitly: no globbing, so the built server runs the same set. */
export const migrations = [
  Core1795390000000,
  AccessLog1795390000002,
  AgreementSeen1795390000003,
  WorklistNotice1795390000004,
  Privacy1795390000008,
  FieldEncryption1795390000009,
  AccessLogChainPerStatement1795390000010,
];
