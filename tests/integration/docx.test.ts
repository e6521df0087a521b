import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinderPlan } from '../../shared/binder/plan.js';
import type { BinderPlan } from '../../shared/binder/types.js';
import { REQUIREMENT_STATUS, SEVERITY, TARGET_STATE } from '../../shared/vocabulary.js';
import { renderDocx } from '../../electron/backend/generators/docx/render.js';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
import { makeTestWorkspace, type TestWorkspace } from './fixtures/output-workspace.js';

const run = promisify(execFile);
const GENERATED_AT = '2019-12-20T08:00:00.000Z';

let ws: TestWorkspace;
let plan: BinderPlan;
let docx: Uint8Array;
let files: Map<string, Buffer>;
let tmp: string;

beforeAll(async () => {
  ws = await makeTestWorkspace();
  tmp = await mkdtemp(join(tmpdir(), 'eb-docx-'));
  const s = ws.snapshot;
  // The review edition (自查版) carries everything, the self-check included.
  plan = buildBinderPlan(s.framework, s.settings, s.evidence, s.gaps, s.targets, { edition: 'review' }, { generatedAt: GENERATED_AT });
  docx = await renderDocx(plan, ws.assets, { generatedAt: GENERATED_AT, duplex: true });
  files = await readZipFiles(Buffer.from(docx));
});

afterAll(async () => {
  await ws?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const xml = (name: string) => {
  const data = files.get(name);
  if (!data) throw new Error(`missing ${name}`);
  return data.toString('utf8');
};
/** Text of a WordprocessingML part, paragraphs on their own lines. */
const plainText = (doc: string) =>
  doc
    .replace(/<w:instrText[^>]*>[^<]*<\/w:instrText>/g, '')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&');

describe('renderDocx', () => {
  it('sets up A4 pages with GB/T 9704 margins in twips', () => {
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    // 37 mm top, 28 mm left, 35 mm bottom, 26 mm right
    const margins = doc.match(/<w:pgMar [^>]+>/g) ?? [];
    expect(margins.length).toBe(3);
    for (const m of margins) {
      expect(m).toContain('w:top="2098"');
      expect(m).toContain('w:left="1587"');
      expect(m).toContain('w:bottom="1984"');
      expect(m).toContain('w:right="1474"');
    }
  });

  it('names the standard Chinese fonts as East Asian fonts in the styles', () => {
    const styles = xml('word/styles.xml');
    expect(styles).toMatch(/w:eastAsia="仿宋_GB2312"/);
    expect(styles).toMatch(/w:eastAsia="方正小标宋简体"/);
    const heading1 = styles.slice(styles.indexOf('w:styleId="Heading1"'));
    expect(heading1.slice(0, heading1.indexOf('</w:style>'))).toMatch(/w:eastAsia="黑体"/);
    const heading2 = styles.slice(styles.indexOf('w:styleId="Heading2"'));
    expect(heading2.slice(0, heading2.indexOf('</w:style>'))).toMatch(/w:eastAsia="楷体"/);
    // 3号 body = 16 pt = 32 half-points; 2号 title = 22 pt = 44 half-points
    expect(styles).toMatch(/<w:sz w:val="32"\/>/);
    expect(styles).toMatch(/<w:sz w:val="44"\/>/);
  });

  it('uses different odd and even footers with "— n —" page numbers in 宋体 14 pt', () => {
    expect(xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    expect(xml('word/settings.xml')).toMatch(/<w:updateFields( w:val="(true|1)")?\/>/);
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/<w:footerReference w:type="default"/);
    expect(doc).toMatch(/<w:footerReference w:type="even"/);
    const footers = [...files.keys()].filter((n) => /^word\/footer\d+\.xml$/.test(n)).map((n) => xml(n));
    expect(footers.length).toBe(2);
    const aligns = footers.map((f) => /<w:jc w:val="(\w+)"\/>/.exec(f)?.[1]).sort();
    expect(aligns).toEqual(['left', 'right']);
    for (const f of footers) {
      expect(f).toContain('PAGE');
      expect(plainText(f)).toMatch(/— .*—/);
      expect(f).toMatch(/w:eastAsia="宋体"/);
      expect(f).toMatch(/<w:sz w:val="28"\/>/);
    }
  });

  it('writes a TOC field whose cached result already lists the headings with page numbers', () => {
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/TOC \\h \\o &quot;1-2&quot;|TOC \\h \\o "1-2"/);
    const start = doc.indexOf('TOC \\h');
    const end = doc.indexOf('</w:sdtContent>', start);
    const toc = plainText(doc.slice(start, end));
    for (const heading of ['一、组织领导', '（一）1.1 党委政府研究部署', '（二）1.2 领导小组及工作机制', '二、人才交流', '自查问题清单', '自评报告（提纲）']) {
      expect(toc).toMatch(new RegExp(`${heading.replace(/[()（）.]/g, '\\$&')}.*\\t\\d+`));
    }
  });

  it('has the headings, tables and placeholders a reader sees', () => {
    const text = plainText(xml('word/document.xml'));
    expect(text).toContain('某县2019年东西部扶贫协作');
    expect(text).toContain('佐证材料汇编');
    expect(text).toContain('关于成立东西部扶贫协作工作领导小组的通知');
    expect(text).toContain('某政办发〔2019〕12号');
    expect(text).toContain('选派党政挂职干部（未完成）');
    expect(text).toContain('地点：县政府三楼会议室');
    expect(text).toContain('县委组织部');
    expect(text).toContain('【请填写：');
    expect(text).toMatch(/装订佐证材料 5 件/);
    expect(text).toMatch(/共 2 项协议指标，已完成 1 项，未完成 1 项/);
    // Statuses and severities in the words the PDF and the workbench use (one vocabulary): never 不足, 严重 or 一般.
    const statuses = new Set(plan.volumes.flatMap((v) => v.sections.flatMap((sec) => sec.requirements.map((r) => r.status))));
    for (const status of statuses) expect(text).toContain(REQUIREMENT_STATUS[status].zh);
    const severities = new Set(plan.selfCheck?.findings.map((f) => f.severity) ?? []);
    expect(severities.size).toBeGreaterThan(0);
    for (const severity of severities) expect(text).toContain(SEVERITY[severity].zh);
    for (const stray of ['不足', '严重', '部分缺失', '待核实']) expect(text, stray).not.toContain(stray);
    // The minutes are bound once under 1.1 and listed under 1.2 as a cross-reference.
    expect(text.split('中共某县县委常委会会议纪要（第5次）').length - 1).toBeGreaterThanOrEqual(2);
    expect(text).toContain('参见');
  });

  it('the submission edition carries no self-check: no findings, gaps, completeness or fill-in placeholders', async () => {
    const s = ws.snapshot;
    const submission = buildBinderPlan(s.framework, s.settings, s.evidence, s.gaps, s.targets, {}, { generatedAt: GENERATED_AT });
    const parts = await readZipFiles(Buffer.from(await renderDocx(submission, ws.assets, { generatedAt: GENERATED_AT, duplex: true })));
    const text = plainText(parts.get('word/document.xml')?.toString('utf8') ?? '');
    expect(text).toContain('关于成立东西部扶贫协作工作领导小组的通知');
    expect(text).toContain('选派党政挂职干部');
    for (const word of ['自查问题清单', '完整度', '缺失', REQUIREMENT_STATUS.partial.zh, '请补充', '请填写', SEVERITY.error.zh, SEVERITY.warning.zh, TARGET_STATE.unmet.zh, TARGET_STATE.met.zh, '自评报告']) {
      expect(text, word).not.toContain(word);
    }
    // Requirements still say which 件 answer them.
    expect(text).toMatch(/领导小组成立文件\s+\S+\s+0002/);
  });

  it('puts 佐证材料 whole on the second cover line when the title ends with it', async () => {
    const long = { ...plan, title: '青山县2019年度东西部扶贫协作成效考核佐证材料' };
    const parts = await readZipFiles(Buffer.from(await renderDocx(long, ws.assets, { generatedAt: GENERATED_AT })));
    const titles = (parts.get('word/document.xml')?.toString('utf8') ?? '').split('</w:p>').filter((p) => p.includes('w:val="Title"')).map(plainText);
    expect(titles.slice(0, 2)).toEqual(['青山县2019年度东西部扶贫协作成效考核', '佐证材料汇编']);
  });

  it('keeps run-in sub-headings with what follows them', () => {
    const paragraphs = xml('word/document.xml').split('</w:p>');
    for (const heading of ['（1）材料要求', '佐证材料目录']) {
      const found = paragraphs.filter((p) => plainText(p).includes(heading));
      expect(found.length, heading).toBeGreaterThan(0);
      for (const p of found) expect(p, heading).toContain('<w:keepNext/>');
    }
  });

  it('embeds the photos as downscaled, upright JPEGs', async () => {
    const rels = xml('word/_rels/document.xml.rels');
    expect(rels).toMatch(/relationships\/image" Target="media\/[^"]+\.jpe?g"/);
    const media = [...files.keys()].filter((n) => n.startsWith('word/media/'));
    expect(media.length).toBe(2);
    const sharp = (await import('sharp')).default;
    const sizes = await Promise.all(media.map(async (m) => sharp(files.get(m)).metadata()));
    // IMG_0001 is stored 400×300 with EXIF orientation 6: upright it is 300 wide, 400 tall.
    expect(sizes.map((s) => `${s.width}x${s.height}`).sort()).toEqual(['300x400', '400x300']);
  });

  it('is byte-identical for the same generatedAt, with fixed core property dates', async () => {
    const again = await renderDocx(plan, ws.assets, { generatedAt: GENERATED_AT, duplex: true });
    expect(Buffer.from(again).equals(Buffer.from(docx))).toBe(true);
    expect(xml('docProps/core.xml')).toContain('2019-12-20T08:00:00Z');
  });

  it('converts with LibreOffice to a PDF that shows the TOC with page numbers and the Chinese headings', async () => {
    const input = join(tmp, 'binder.docx');
    await writeFile(input, docx);
    const profile = pathToFileURL(join(tmp, 'lo-profile')).href;
    await run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', tmp, input], {
      timeout: 120_000,
    });
    const pdf = join(tmp, 'binder.pdf');
    const { stdout: tocPage } = await run('pdftotext', ['-f', '2', '-l', '2', '-layout', pdf, '-']);
    expect(tocPage).toContain('目');
    expect(tocPage).toMatch(/一、组织领导[ .·…]*\d+/);
    expect(tocPage).toMatch(/1\.2 领导小组及工作机制[ .·…]*\d+/);
    expect(tocPage).toMatch(/自查问题清单[ .·…]*\d+/);
    const { stdout: all } = await run('pdftotext', ['-layout', pdf, '-']);
    expect(all).toContain('二、人才交流');
    expect(all).toContain('（一）2.1 党政干部挂职');
    // pdftotext drops the thin spaces of "— 1 —"
    expect(all).toMatch(/—\s*1\s*—/);
    expect(await readFile(pdf)).toBeTruthy();
  });
});
