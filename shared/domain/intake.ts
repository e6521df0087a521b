import type { KitImport } from '../team/types.js';
import type { EvidenceType, FileFormat } from './types.js';

/** Result of one OCR run over pending scans and pictures (`binder ocr`, `binder import` waiting for OCR). */
export type OcrRunReport = {
  done: number;
  failed: { id: number; name: string; reason: string }[];
  cancelled: boolean;
  /** OCR cannot run on this installation (reason in Chinese); everything stays pending. */
  unavailable?: string;
};

/** Result of one import run (CLI `binder import --json`, the app's import dialog). */
export type ImportReport = {
  imported: {
    source: string;
    id: number;
    sha256: string;
    type: EvidenceType;
    indicators: string[];
    title: string;
    date?: string;
    format: FileFormat;
    /** Non-fatal: the file is stored but cannot be bound as is (encrypted, corrupt). */
    warning?: string;
  }[];
  /** The same bytes were already stored (or came twice in this batch): `of` is the stored evidence id. */
  duplicates: { source: string; of: number; ofSource: string }[];
  /** Not stored, with a Chinese reason. */
  rejected: { source: string; reason: string }[];
  /** Junk that is skipped on purpose (Thumbs.db, .DS_Store, ~$ lock files). */
  ignored: { source: string; reason: string }[];
  /** A returned collection kit was recognised: what it filed and what was in the wrong place. */
  kit?: KitImport;
};

export type ProgressEvent = { stage: string; done: number; total: number; detail?: string };
export type ProgressCallback = (event: ProgressEvent) => void;
