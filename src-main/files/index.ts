/** File transfer between the two mains over the link's `files` channel (DESIGN.md section 2). */
export { FileTransferService, CONNECTION_LOST } from './file-transfer-service';
export { DISABLED_REASON } from './incoming-transfer';
export { sanitiseFileName, uniqueTarget, fitName, withCounter, FALLBACK_FILE_NAME, MAX_NAME_BYTES } from './sanitise-name';
export { PartFile, hasRoomFor, freeBytes, defaultWriteAt, FREE_SPACE_MARGIN, type PartFileOptions, type WriteAt, type StatFs } from './safe-write';
export { formatBytes } from './display-text';
export {
  FINAL_STATES,
  type AcceptAnswer,
  type FileAuditEvent,
  type FileTransferLimits,
  type FileTransferServiceOptions,
  type FileTransferTimeouts,
  type IncomingFileOffer,
  type TransferDirection,
  type TransferProgress,
  type TransferState,
} from './transfer-types';
