import { describe, expect, it } from 'vitest';
import { formatWarning, buildWarning } from '../../shared/binder/warnings.js';
import { explainHistory } from '../../shared/history/words.js';
import { explainReason, explainReasons, explainSource, IMPORT_REASONS, importReason, parseReason, ZIP_SIZE_DETAILS, zipSizeDetail, type ImportReasonCode } from '../../shared/intake/reasons.js';
import { describeBatch, describeUndo, describeUndoneEvent } from '../../electron/backend/workspace/describe.js';
import { junkReason } from '../../electron/backend/intake/expand.js';
import { PDF_ENCRYPTED_REASON } from '../../electron/backend/intake/read.js';
import { OFFICE_CORRUPT_REASON } from '../../electron/backend/intake/readers/legacy.js';

const han = /\p{Script=Han}/u;

describe('import reasons in English', () => {
  it('every reason in the table comes back to its own code and reads without Chinese in English', () => {
    for (const code of Object.keys(IMPORT_REASONS) as ImportReasonCode[]) {
      const zh = importReason(code, { name: 'a.pdf', path: '/in/a.pdf', code: 'EACCES', what: '2 GB', detail: 'bad header', n: 3, max: 20000, mb: 2048, width: 9, height: 9, message: 'disk full', file: '/opt/binder/ocr-worker.js' });
      expect(parseReason(zh)?.code).toBe(code);
      expect(explainReason(zh, 'en')).not.toMatch(han);
      expect(explainReason(zh, 'zh')).toBe(zh);
    }
  });

  it('the readers’ own sentences are the table’s, so the workbench can say them in English', () => {
    expect(explainReason(junkReason('Thumbs.db')!, 'en')).toBe('A file Windows creates by itself (Thumbs.db); not evidence, ignored');
    expect(explainReason(junkReason('~$纪要.docx')!, 'en')).toContain('temporary lock file Office/WPS creates while a document is open (~$纪要.docx)');
    expect(explainReason(PDF_ENCRYPTED_REASON, 'en')).toMatch(/^The PDF has an opening password/);
    expect(explainReason(OFFICE_CORRUPT_REASON('通知.doc'), 'en')).toBe(
      'The file is damaged or not in its format (通知.doc) and cannot be read. Ask the department for it again, or open it in WPS/Office and save a copy, then import it.',
    );
    // A wrapped reason is explained inside too; a sentence from elsewhere stays as it came.
    expect(explainReason(importReason('import-failed', { message: importReason('nested-zip') }), 'en')).toBe('Import failed: The zip holds further zip files; unzip them first, then import.');
    expect(explainReason('磁盘已满', 'en')).toBe('磁盘已满');
    // Warnings joined one after the other are explained one by one.
    expect(explainReasons(`${importReason('restored-from-trash')}${importReason('original-recovered')}`, 'en')).toBe(
      `${IMPORT_REASONS['restored-from-trash'].en} ${IMPORT_REASONS['original-recovered'].en}`,
    );
    expect(explainReasons(`${importReason('pdf-corrupt', { name: 'a.pdf' })}另有说明。`, 'en')).toBe(`${IMPORT_REASONS['pdf-corrupt'].en.replace('{name}', 'a.pdf')} 另有说明。`);
  });

  it('says the zip-bomb detail, OCR failures and the upload prefix in English too', () => {
    // As the import stores it (tests/integration/hostile-input.test.ts asserts this Chinese sentence).
    const bomb = '压缩包内的文件解压后异常巨大（80 个文件共 95 KB，解压后共 80.0 MB），疑似“压缩炸弹”，已拒绝。请确认来源，或解压后只导入需要的文件。未导入其中任何文件。';
    expect(explainReason(bomb, 'en')).toBe(
      'The zip unpacks to an abnormal size (80 files of 95 KB unpack to 80.0 MB), like a “zip bomb”; refused. Check where it came from, or unzip it and import only the files you need. None of its files were imported.',
    );
    for (const code of Object.keys(ZIP_SIZE_DETAILS) as (keyof typeof ZIP_SIZE_DETAILS)[]) {
      const zh = importReason('zip-bomb', { what: zipSizeDetail(code, { size: '2.0 GB', packed: '1 KB', n: 3 }) });
      expect(explainReason(zh, 'en'), code).not.toMatch(han);
    }
    // The OCR runner's sentence, with the pool's reason inside it.
    const ocr = importReason('ocr-failed', { message: importReason('ocr-worker-exit', { code: '134' }) });
    expect(ocr).toBe('文字识别失败：文字识别进程意外退出（代码 134）。可在材料详情中手工填写文号、日期。');
    expect(explainReason(ocr, 'en')).toBe(
      'Text recognition failed: The text recognition process stopped unexpectedly (code 134). You can type the document number and date in the item’s details.',
    );
    expect(explainSource('上传/简报/劳务协作第1期.pdf', 'en')).toBe('Upload/简报/劳务协作第1期.pdf');
    expect(explainSource('上传/简报/劳务协作第1期.pdf', 'zh')).toBe('上传/简报/劳务协作第1期.pdf');
    expect(explainSource('D:/材料/上传/a.pdf', 'en')).toBe('D:/材料/上传/a.pdf');
  });
});

describe('history and undo in English', () => {
  it('names what was undone, with plural and field names', () => {
    const edit = { action: 'update', evidenceId: 4, changes: { doc_number: ['a', 'b'], doc_number_origin: [null, 'user'] } } as const;
    expect(describeUndo([edit] as never)).toBe('已撤销：材料 4 修改 文号');
    expect(explainHistory(describeUndo([edit] as never), 'en')).toBe('Undone: Item 4: changed document number');
    const deletes = [1, 2, 3].map((id) => ({ action: 'delete', evidenceId: id }));
    expect(explainHistory(describeUndo(deletes as never), 'en')).toBe('Undone: deletion of 3 items');
    const retype = { action: 'update', evidenceId: 7, changes: { type: ['notice', 'photo'], date: ['2019-01-01', '2019-02-02'] } };
    expect(explainHistory(describeBatch([retype] as never), 'en')).toBe('Item 7: changed type, date; type now Photo');
    expect(explainHistory(describeUndoneEvent({ action: 'link', evidenceId: 2, indicator: '1.2' } as never), 'en')).toBe('Item 2 filed under 1.2 (undone)');
  });
});

describe('build warnings in English', () => {
  it('says the figures of each warning in English, the volume name quoted', () => {
    const w = buildWarning('unconfirmed', '有 1 件材料的指标归属是系统建议、尚未确认，报送版未装订。', {}, { n: 1 });
    expect(formatWarning(w)).toBe('有 1 件材料的指标归属是系统建议、尚未确认，报送版未装订。');
    expect(formatWarning(w, 'en')).toMatch(/^1 item filed only by suggestion/);
    const empty = buildWarning('empty-slot', '…', { volume: '第1卷 组织领导' }, { n: 2, slots: '“会议纪要”, “工作要点”' });
    expect(formatWarning(empty, 'en')).toBe('“第1卷 组织领导”: 2 required slots of this volume bind nothing in the submission edition: “会议纪要”, “工作要点”. Confirm or file evidence in Evidence and build again.');
  });
});
