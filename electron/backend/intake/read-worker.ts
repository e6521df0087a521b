/**
 * Worker-thread entry of the reader pool (read-pool.ts): reads one file at a time with readEvidenceFile.
 * It runs under `resourceLimits`, so a file whose structure makes pdfjs, the zip/XML parsers or sharp allocate
 * without end kills this worker, not the import.
 */
import { parentPort } from 'node:worker_threads';
import type { FileFormat } from '../../../shared/domain/types.js';
import { IMAGE_FORMATS } from '../../../shared/domain/types.js';
import { fingerprintImage } from './fingerprint.js';
import { readEvidenceFile } from './read.js';
import { installPdfjsWorker } from './readers/pdfjs-worker.js';
import type { ReadResult } from './readers/result.js';

export type ReadJob = { id: number; bytes: Uint8Array; format: FileFormat; fileName: string };
/**
 * What a reader worker found; the image fingerprint is made here too, as it decodes the whole picture.
 * `stoppedBy` says which limit stopped the read (the result is then readability 'complex').
 */
export type ReadOutcome = { result: ReadResult; imageFingerprint?: string; stoppedBy?: 'heap' | 'time' | 'memory' | 'crash' };
export type ReadReply = ({ id: number } & ReadOutcome) | { id: number; error: string } | { ready: true };

async function readOne(job: ReadJob): Promise<ReadOutcome> {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const result = await readEvidenceFile(bytes, job.format, job.fileName);
  if (!IMAGE_FORMATS.includes(job.format) || result.readability !== 'ok') return { result };
  const imageFingerprint = await fingerprintImage(bytes);
  return imageFingerprint ? { result, imageFingerprint } : { result };
}

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs only as a worker thread');

// pdfjs can reject a promise of a document after that document was destroyed (broken files do this). Unhandled,
// it would end this worker in the middle of the next, innocent file. Each job awaits its own promises, so a
// rejection nobody awaits belongs to a file that is already answered.
process.on('unhandledRejection', () => undefined);

port.on('message', (job: ReadJob) => {
  readOne(job).then(
    (outcome) => port.postMessage({ id: job.id, ...outcome } satisfies ReadReply),
    (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies ReadReply),
  );
});
// Loading the readers (pdfjs, sharp …) takes a moment: the time limit of a file starts after this.
await installPdfjsWorker();
port.postMessage({ ready: true } satisfies ReadReply);
