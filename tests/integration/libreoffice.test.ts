/**
 * Office → PDF with the real LibreOffice: a DOCX and an XLSX made here, converted in one batch, checked
 * with pdfinfo/pdftotext; a second call is served from the cache; a broken file gets a Chinese reason.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { Document, Packer, PageBreak, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertToPdf, findLibreOffice, libreOfficeVersion, seededProfile } from '../../electron/backend/convert/libreoffice.js';

let dir: string;
const inputs: { sha256: string; path: string; ext: string }[] = [];

function stored(bytes: Uint8Array, ext: string): { sha256: string; path: string; ext: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Stored content-addressed, without an extension, as the vault does.
  const file = path.join(dir, sha256);
  writeFileSync(file, bytes);
  return { sha256, path: file, ext };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lo-test-'));
  const docx = await Packer.toBuffer(
    new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun({ text: '关于选派挂职干部的通知', font: '方正小标宋简体', size: 44 })] }),
            new Paragraph({ children: [new TextRun({ text: '正文第一页：仿宋_GB2312 字体', font: '仿宋_GB2312', size: 32 })] }),
            new Paragraph({ children: [new PageBreak()] }),
            new Paragraph({ children: [new TextRun({ text: '第二页：抄送县委组织部', font: '仿宋_GB2312', size: 32 })] }),
          ],
        },
      ],
    }),
  );
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('转移就业台账');
  ws.addRow(['序号', '姓名', '就业去向', '月收入']);
  ws.addRow([1, '张三', '结对东部', 4500]);
  ws.addRow([2, '李四', '省内县外', 3800]);
  const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
  inputs.push(stored(new Uint8Array(docx), 'docx'), stored(xlsx, 'xlsx'));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LibreOffice conversion', () => {
  it('finds soffice on this machine', () => {
    expect(findLibreOffice()).toMatch(/soffice|libreoffice/);
  });

  it('starts LibreOffice on a profile that records its version, so no start runs the render tests of a first start after an upgrade', async () => {
    const soffice = findLibreOffice() as string;
    const version = await libreOfficeVersion(soffice);
    expect(version).toMatch(/^\d+\.\d+$/);
    expect(execFileSync(soffice, ['--version'], { encoding: 'utf8' })).toContain(`LibreOffice ${version}.`);
    const work = mkdtempSync(path.join(dir, 'profiles-'));
    const text = path.join(work, '说明.txt');
    writeFileSync(text, '挂职干部名单\n');
    const convert = (profile: string, out: string) => {
      mkdirSync(out);
      execFileSync(soffice, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', out, text], {
        stdio: 'ignore',
        env: { ...process.env, SAL_USE_VCLPLUGIN: 'svp' },
      });
      return execFileSync('pdftotext', [path.join(out, '说明.pdf'), '-'], { encoding: 'utf8' });
    };
    // A profile LibreOffice makes itself: every headless start counts as the first after an upgrade.
    const plain = path.join(work, 'plain');
    expect(convert(plain, path.join(work, 'out-plain'))).toContain('挂职干部名单');
    expect(existsSync(path.join(plain, 'user', 'GraphicsRenderTests.log'))).toBe(true);
    const seeded = await seededProfile(work, soffice);
    expect(convert(seeded, path.join(work, 'out-seeded'))).toContain('挂职干部名单');
    expect(existsSync(path.join(seeded, 'user', 'GraphicsRenderTests.log'))).toBe(false);
    expect(readFileSync(path.join(seeded, 'user', 'registrymodifications.xcu'), 'utf8')).toContain(`<value>${version}</value>`);
  }, 60_000);

  it('converts a DOCX and an XLSX in one batch, keeps originals, and caches the result', async () => {
    const cache = path.join(dir, 'cache');
    const before = inputs.map((i) => readFileSync(i.path));
    const first = await convertToPdf(inputs, cache);
    const docx = first.get(inputs[0].sha256);
    const xlsx = first.get(inputs[1].sha256);
    expect(docx && 'pdfPath' in docx ? docx.pdfPath : docx).toBe(path.join(cache, `${inputs[0].sha256}.pdf`));
    expect(xlsx && 'pdfPath' in xlsx).toBe(true);
    const docxPdf = path.join(cache, `${inputs[0].sha256}.pdf`);
    const xlsxPdf = path.join(cache, `${inputs[1].sha256}.pdf`);
    expect(execFileSync('pdfinfo', [docxPdf], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
    expect(execFileSync('pdfinfo', [xlsxPdf], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    const text = execFileSync('pdftotext', [docxPdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('关于选派挂职干部的通知');
    expect(text).toContain('抄送县委组织部');
    const sheet = execFileSync('pdftotext', [xlsxPdf, '-'], { encoding: 'utf8' });
    expect(sheet).toContain('结对东部');
    expect(sheet).toContain('李四');
    // Chinese must be drawn with a CJK font, not missing glyphs.
    expect(execFileSync('pdffonts', [docxPdf], { encoding: 'utf8' })).toMatch(/CJK|WenQuanYi|UMing|UKai|Sim|Song|Hei/i);
    inputs.forEach((i, k) => expect(readFileSync(i.path).equals(before[k])).toBe(true));

    const mtime = statSync(docxPdf).mtimeMs;
    const started = Date.now();
    // No soffice at all: a cache hit must not need it.
    const second = await convertToPdf(inputs, cache, { soffice: null });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([...second.values()].every((r) => 'pdfPath' in r)).toBe(true);
    expect(statSync(docxPdf).mtimeMs).toBe(mtime);
  });

  it('reports a broken file in Chinese and still converts the good one', async () => {
    const cache = path.join(dir, 'cache2');
    // A zip signature with nothing behind it: what a download cut short looks like. (Plain text named
    // .docx is not "broken" to LibreOffice: it imports it as text.)
    const broken = stored(new TextEncoder().encode('PK\u0003\u0004 truncated'), 'docx');
    const results = await convertToPdf([broken, inputs[1]], cache, { timeoutMs: 60_000 });
    const bad = results.get(broken.sha256);
    expect(bad && 'error' in bad ? bad.error : '').toMatch(/无法转换为 PDF.*另存为 PDF/);
    expect(results.get(inputs[1].sha256)).toHaveProperty('pdfPath');
  });

  it('says how to fix it when LibreOffice is missing', async () => {
    const results = await convertToPdf([inputs[0]], path.join(dir, 'cache3'), { soffice: null });
    const r = results.get(inputs[0].sha256);
    expect(r && 'error' in r ? r.error : '').toContain('请安装 LibreOffice');
  });
});
