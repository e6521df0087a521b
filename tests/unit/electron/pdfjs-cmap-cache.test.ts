/**
 * Parsed predefined CMaps are kept between documents (issue 8: non-embedded Chinese PDFs spent ~100 ms each parsing
 * UniGB-UCS2-H again). Documents read one after another in the same process must each still give their own text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../../electron/backend/intake/readers/pdf.js';
import { editedWorkerSource, installPdfjsWorker } from '../../../electron/backend/intake/readers/pdfjs-worker.js';
import { chineseNonEmbeddedPdf } from '../../helpers/raw-pdf.js';

const workerFile = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'legacy/build/pdf.worker.mjs');

describe('pdf.js worker with kept CMaps', () => {
  it('applies to the installed pdfjs-dist (else reading falls back to the slow stock worker)', async () => {
    expect(editedWorkerSource(readFileSync(workerFile, 'utf8'))).toContain('__ebParsedCMaps');
    expect(await installPdfjsWorker()).toBe(true);
  });

  it('leaves a pdfjs-dist whose code differs alone', () => {
    const source = readFileSync(workerFile, 'utf8').replace('async function createBuiltInCMap(name, fetchBuiltInCMap) {', 'async function createBuiltInCMap(name, fetch) {');
    expect(editedWorkerSource(source)).toBeUndefined();
  });

  it('reads each document’s own text when several share the predefined CMap', async () => {
    const docs = [
      { font: 'STSong-Light', lines: ['青府办发〔2019〕7号', '关于做好劳务协作工作的通知', '2019年3月7日'] },
      { font: 'STSongStd-Light', lines: ['丹人社发〔2020〕12号', '消费帮扶工作要点', '二〇二〇年五月九日'] },
      { font: 'STSong-Light', lines: ['石振发〔2021〕3号', '光伏电站验收纪要', '2021年11月30日'] },
    ] as const;
    for (let round = 0; round < 2; round++) {
      for (const doc of docs) {
        const read = await readPdf(chineseNonEmbeddedPdf([[...doc.lines]], { fontName: doc.font }), 'a.pdf');
        expect(read.readability).toBe('ok');
        expect(read.text.split('\n').map((l) => l.trim())).toEqual([...doc.lines]);
      }
    }
  });
});
