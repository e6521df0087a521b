// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../../shared/domain/types.js';
import { importReason } from '../../../shared/intake/reasons.js';
import { I18nProvider } from '../../../renderer/i18n.js';
import { OcrStatus } from '../../../renderer/screens/EvidenceScreen.js';

const scan: Evidence = {
  id: 7,
  sha256: 'b'.repeat(64),
  size: 50_000,
  originalName: '扫描件001.pdf',
  source: '上传/扫描件001.pdf',
  format: 'pdf',
  type: 'other',
  typeOrigin: 'suggested',
  typeConfidence: 0.1,
  title: '扫描件001',
  readability: 'ok',
  scanned: true,
  textSource: 'none',
  ocrState: 'pending',
  links: [],
  importedAt: '2019-06-01T00:00:00Z',
  updatedAt: '2019-06-01T00:00:00Z',
};

const missing = importReason('ocr-missing', { file: 'ocr-worker.mjs' });

function statusOf(evidence: Evidence, lang: 'zh' | 'en'): string {
  render(
    <I18nProvider lang={lang}>
      <OcrStatus evidence={evidence} />
    </I18nProvider>,
  );
  return screen.getByTestId('ocr-state').textContent ?? '';
}

afterEach(cleanup);

describe('OCR status of an item', () => {
  it('says 识别中 while an item waits for the reader', () => {
    expect(statusOf(scan, 'zh')).toBe('识别中…');
  });

  it('says why an item waits when the OCR engine could not start, in both languages', () => {
    const waiting = { ...scan, ocrError: missing };
    expect(statusOf(waiting, 'zh')).toBe('等待识别：找不到文字识别组件（ocr-worker.mjs），扫描件和图片暂不能识别文字。请重新安装程序。');
    cleanup();
    expect(statusOf(waiting, 'en')).toBe('Waiting for OCR: The text recognition component is missing (ocr-worker.mjs); scans and photos cannot be read for now. Please reinstall the program.');
  });

  it('gives the reason of a failed reading, and the confidence of a done one', () => {
    expect(statusOf({ ...scan, ocrState: 'failed', ocrError: importReason('ocr-memory', { mb: '900' }) }, 'zh')).toContain('超过 900 MB 的上限');
    cleanup();
    expect(statusOf({ ...scan, ocrState: 'done', textSource: 'ocr', ocrConfidence: 0.93 }, 'zh')).toBe('文字来自OCR（置信度 93%）');
  });
});
