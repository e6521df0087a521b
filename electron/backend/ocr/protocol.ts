/** Messages between the OCR worker thread and the backend. Structured-clone data only. */
import type { OcrEngineName } from './engine.js';

export type OcrJob = { id: number; kind: 'pdf' | 'image'; bytes: Uint8Array };

export type OcrOutcome = {
  text: string;
  /** 0–1, mean per recognised character; 0 when nothing was recognised. */
  confidence: number;
  /** A photo that shows a page of text (false: a scene photo; its text is kept for search only). */
  document: boolean;
  /** Pages that went through the engine (pages with a text layer are read, not recognised). */
  ocrPages: number;
  engine: OcrEngineName;
};

export type OcrWorkerMessage =
  | { id: number; type: 'page'; page: number; pages: number }
  | { id: number; type: 'done'; outcome: OcrOutcome }
  | { id: number; type: 'error'; message: string };

/** The exit code of an OCR process that stopped itself over its memory ceiling (worker.ts, where the backend cannot watch it). */
export const OCR_MEMORY_EXIT = 86;
