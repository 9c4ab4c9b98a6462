/**
 * The audit area's public door: a durable, hash-chained record of every request.
 * See docs/audit.md for how the chain works and how to query it.
 */
export type { AuditEnforcement, AuditEvent, AuditOutcome, AuditReceipt, AuditRecord, AuditTransfer } from './audit-event';
export { AUDIT_OUTCOMES } from './audit-event';
export type { AuditFilter, AuditStats, AuditStatsFilter, AgencyStats, DenialStats } from './audit-filter';
export type { AuditTrail, AuditTrailOptions } from './audit-trail';
export { collect } from './audit-trail';
export type { VerifyFinding, VerifyOptions, VerifyProblem, VerifyReport, ChainSummary } from './chain/verify-chain';
export { newAuditId } from './audit-id';
export { canonicalJson } from './canonical-json';
export { auditConfigFromEnv, openAuditTrail, DEFAULT_AUDIT_FILE, DEFAULT_CHECKPOINT_INTERVAL_MS, type AuditConfig, type AuditSigning } from './open-audit-trail';
export { createCheckpointSigner, verifyCheckpointJws, CHECKPOINT_KINDS, type CheckpointKind, type CheckpointSigner, type CheckpointStatement, type SignedCheckpoint } from './chain/checkpoint-statement';
export type { PruneResult } from './checkpoints';
export { parseRetention, type Retention } from './retention';
export { parseEntity, parseTime } from './report/parse-time';
export { csvHeader, recordToCsvLine, recordToJsonLine, recordsToTable, type RecordFormat } from './report/format-records';
export { statsToTable } from './report/format-stats';
export { buildPeriodReport, periodReportToText, type PeriodReport, type PeriodCounts, type RefusalLine } from './report/period-report';
export { checkTransferFilter, listTransfers, transferEntryOf, type TransferEntry, type TransferFilter } from './transfers';
export { transferCsvHeader, transferToCsvLine, transferToJsonLine, transfersToTable } from './report/format-transfers';
export { migrateLayout, type MigrateConfig, type MigrationResult, type MigratedChain } from './migrate-layout';
