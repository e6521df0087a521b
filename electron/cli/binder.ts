import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EVIDENCE_TYPE_LABELS, EVIDENCE_TYPES, type Evidence, type EvidenceType, type Framework, type GapReport } from '../../shared/domain/types.js';
import type { ImportReport, ProgressEvent } from '../../shared/domain/intake.js';
import { listIndicators } from '../../shared/framework/schema.js';
import { buildDemo } from '../backend/demo/demo.js';
import { buildOutputs } from '../backend/generators/build.js';
import { verifyPackage } from '../backend/generators/package/verify.js';
import { listTemplates, loadTemplate } from '../backend/templates.js';
import { importPaths, reclassify } from '../backend/workspace/import.js';
import { runPendingOcr, type OcrRunReport } from '../backend/ocr/run.js';
import type { EvidencePatch } from '../backend/workspace/types.js';
import { Workspace, WorkspaceError } from '../backend/workspace/workspace.js';
import { runServe } from './serve.js';

export const VERSION = '0.1.0';

/** Exit codes: 0 done, 1 the command ran but something failed, 2 usage. */
class UsageError extends Error {}

const HELP = `佐证材料汇编 binder ${VERSION} — 东西部协作考核佐证材料整理工具

用法 Usage: binder <命令> [参数] [--json]

  templates                           列出内置考核框架模板
  framework <工作区|模板id>           显示框架（类别 → 指标 → 材料要求、目标）
  init <工作区> --template <id> [--title T] [--unit U] [--period 2019-01-01..2019-12-31] [--fonds Z109]
                                      新建工作区
  import <工作区> <文件或文件夹或zip>… [--indicator 1.2] [--requirement 1.2-2] [--no-ocr-wait]
                                      导入材料（相同内容只存一份）；扫描件和图片随后做文字识别（OCR），
                                      默认等识别完成再退出
  ocr <工作区>                        对尚未识别的扫描件和图片做文字识别（继续上次中断的识别）
  list <工作区> [--trash] [--search 词]
                                      列出材料（--search：按题名、文号、全文含 OCR 文字查找）
  link <工作区> <材料编号> <指标编码>… [--requirement ID]
  unlink <工作区> <材料编号> <指标编码>…
  set <工作区> <材料编号> [--type T] [--title …] [--doc-number …] [--issuer …] [--date YYYY-MM-DD]
      [--subject 事由] [--place 地点] [--people 人物] [--photographer 摄影者] [--caption-time YYYY-MM-DD] [--note 说明]
  targets <工作区> [--set 编号=完成值]… [--target 编号=目标值]… [--source 编号=数据来源]…
  reclassify <工作区>                 按已有的人工修正重新建议未确认材料的类型和指标
  gaps <工作区>                       缺漏与问题清单
  build <工作区> --out <目录> [--format pdf,docx,zip] [--single-volume] [--duplex] [--stamp] [--compress-photos]
                                      [--max-pages N] [--max-mb N] [--font 字体文件]  （超过页数或大小时分为上/下册）
  verify <提交包.zip>                 校验提交包的文件与校验码
  demo <目录> [--force]               生成示例工作区（虚构的青山县 2019 年度）
  serve [<工作区>] [--port N] [--demo] 在浏览器中打开工作台（仅本机 127.0.0.1）

每个命令都可加 --json 输出机器可读结果。退出码：0 完成，1 执行失败，2 用法错误。
`;

type Options = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parse(argv: string[], options: ParseArgsConfig['options']): { positionals: string[]; values: Options } {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as Options };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function str(values: Options, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function list(values: Options, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function need(positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (!v) throw new UsageError(`缺少参数：${what}`);
  return v;
}

function openWs(dir: string): Workspace {
  return Workspace.open(dir);
}

function parseId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`材料编号应为正整数：${raw}`);
  return id;
}

function typeLabel(type: EvidenceType): string {
  return EVIDENCE_TYPE_LABELS[type]?.zh ?? type;
}

function out(json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

function describeImport(report: ImportReport): string {
  const lines = [
    `导入 ${report.imported.length} 个，重复 ${report.duplicates.length} 个，拒收 ${report.rejected.length} 个，忽略 ${report.ignored.length} 个。`,
  ];
  for (const i of report.imported) {
    lines.push(
      `  ✓ [${i.id}] ${i.title}（${typeLabel(i.type)}${i.indicators.length ? `，指标 ${i.indicators.join('、')}` : '，未归类'}${i.date ? `，${i.date}` : ''}）${i.warning ? ` ⚠ ${i.warning}` : ''}`,
    );
  }
  for (const d of report.duplicates) lines.push(`  = ${d.source} 与已存材料 [${d.of}] 内容相同，未重复保存`);
  for (const r of report.rejected) lines.push(`  ✗ ${r.source}：${r.reason}`);
  for (const g of report.ignored) lines.push(`  - ${g.source}：${g.reason}`);
  return lines.join('\n');
}

/** OCR takes seconds a page: say what is being read, on stderr so stdout stays the result (--json). */
function ocrProgress(e: ProgressEvent): void {
  if (e.total === 0) return;
  const line = `${e.stage} ${Math.min(e.done + 1, e.total)}/${e.total}${e.detail ? ` ${e.detail}` : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${e.done >= e.total ? `${e.stage}完成 ${e.total} 件\n` : line}`);
  else if (e.done < e.total) process.stderr.write(`${line}\n`);
}

function describeOcr(report: OcrRunReport): string {
  if (report.unavailable) return `\n⚠ ${report.unavailable}`;
  if (report.done === 0 && report.failed.length === 0 && !report.cancelled) return '';
  const lines = [`\n文字识别（OCR）完成 ${report.done} 件${report.failed.length ? `，失败 ${report.failed.length} 件` : ''}。`];
  for (const f of report.failed) lines.push(`  ✗ ${f.name}：${f.reason}`);
  if (report.cancelled) lines.push('  已取消：其余材料下次运行 binder ocr <工作区> 时继续识别。');
  return lines.join('\n');
}

function describeOcrState(ev: Evidence): string {
  if (ev.ocrState === 'pending' || ev.ocrState === 'running') return '· 识别中';
  if (ev.ocrState === 'failed') return '· 文字识别失败';
  if (ev.textSource === 'ocr') return `· 文字来自OCR（置信度 ${Math.round((ev.ocrConfidence ?? 0) * 100)}%）`;
  return '';
}

function describeEvidence(items: Evidence[]): string {
  if (!items.length) return '（没有材料）';
  return items
    .map((ev) =>
      [
        `[${ev.id}]`,
        ev.title,
        `· ${typeLabel(ev.type)}${ev.typeOrigin === 'suggested' ? '(建议)' : ''}`,
        ev.links.length ? `· 指标 ${ev.links.map((l) => l.indicator + (l.origin === 'suggested' ? '?' : '')).join('、')}` : '· 未归类',
        ev.docNumber ? `· ${ev.docNumber}` : '',
        ev.issuer ? `· ${ev.issuer}` : '',
        ev.date ? `· ${ev.date}` : '',
        ev.pages ? `· ${ev.pages}页` : '',
        describeOcrState(ev),
        ev.readability !== 'ok' ? `· ⚠ ${ev.readError ?? ev.readability}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
    .join('\n');
}

function describeGaps(report: GapReport, framework: Framework): string {
  const s = report.summary;
  const special = new Map(framework.categories.map((c) => [c.code, c.bonus ? '加分项，不计入完成度' : c.negative ? '自查项，不计入完成度' : '']));
  const lines = [
    `总体完成度 ${(s.completeness * 100).toFixed(0)}%　错误 ${s.counts.error}　警告 ${s.counts.warning}　提示 ${s.counts.info}`,
    '',
  ];
  for (const cat of s.categories) {
    const note = special.get(cat.code);
    lines.push(`${cat.code} ${cat.title}　${note ? `（${note}）` : `${(cat.completeness * 100).toFixed(0)}%`}`);
    for (const ind of cat.indicators) {
      const mark = note ? (ind.requirements.some((r) => r.have > 0) ? '✓' : '·') : ind.status === 'met' ? '✓' : ind.status === 'partial' ? '◐' : '✗';
      const share = note ? '' : `　${(ind.completeness * 100).toFixed(0)}%`;
      lines.push(`  ${mark} ${ind.code} ${ind.title}${share}${ind.department ? `　（${ind.department}）` : ''}`);
      for (const f of report.findings.filter((x) => x.indicator === ind.code && x.severity !== 'info')) {
        lines.push(`      ${f.severity === 'error' ? '✗' : '⚠'} ${f.message}　→ ${f.action}`);
      }
    }
  }
  const loose = report.findings.filter((f) => !f.indicator && f.severity !== 'info');
  if (loose.length) {
    lines.push('', '其他问题：');
    for (const f of loose) lines.push(`  ${f.severity === 'error' ? '✗' : '⚠'} ${f.message}　→ ${f.action}`);
  }
  if (s.departments.length) {
    lines.push('', '各牵头单位待补：');
    for (const d of s.departments) lines.push(`  ${d.department}：${d.items.length} 项`);
  }
  return lines.join('\n');
}

function parseAssignments(entries: string[], what: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} 的格式应为 编号=值，例如 4.2-t1=6`);
    map.set(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
  }
  return map;
}

function parseNumber(raw: string, id: string): number | null {
  if (raw === '' || raw === '-') return null;
  const n = Number(raw.replace(/,/g, ''));
  if (!Number.isFinite(n)) throw new UsageError(`目标 ${id} 的数值“${raw}”不是数字`);
  return n;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  switch (command) {
    case 'templates': {
      const { values } = parse(rest, {});
      const templates = listTemplates();
      out(Boolean(values.json), templates, () =>
        templates.map((t) => `${t.id}　${t.title}${t.years ? `（${t.years}）` : ''}　${t.categories} 类 ${t.indicators} 项指标`).join('\n'),
      );
      return 0;
    }
    case 'framework': {
      const { positionals, values } = parse(rest, {});
      const target = need(positionals, 0, '工作区或模板 id');
      const fw = Workspace.isWorkspace(target) ? openWs(target).framework() : loadTemplate(target);
      out(Boolean(values.json), fw, () =>
        fw.categories
          .map(
            (c) =>
              `${c.code} ${c.title}${c.bonus ? '（加分）' : ''}${c.negative ? '（负面清单）' : ''}\n` +
              c.indicators
                .map(
                  (i) =>
                    `  ${i.code} ${i.title}${i.department ? `　[${i.department}]` : ''}\n` +
                    i.requirements
                      .map((r) => `    · ${r.title}（${typeLabel(r.type)}，${r.mandatory ? '必备' : '可选'}，${periodLabel(r.period)}至少 ${r.min}）`)
                      .join('\n') +
                    (i.targets.length ? `\n${i.targets.map((t) => `    ◎ ${t.id} ${t.label}（${t.comparison} ${t.value ?? '未设'} ${t.unit}）`).join('\n')}` : ''),
                )
                .join('\n'),
          )
          .join('\n'),
      );
      return 0;
    }
    case 'init': {
      const { positionals, values } = parse(rest, {
        template: { type: 'string' },
        title: { type: 'string' },
        unit: { type: 'string' },
        period: { type: 'string' },
        fonds: { type: 'string' },
      });
      const dir = need(positionals, 0, '工作区文件夹');
      const template = str(values, 'template');
      if (!template) throw new UsageError(`缺少 --template。可用模板：${listTemplates().map((t) => t.id).join('、')}`);
      let periodStart: string | undefined;
      let periodEnd: string | undefined;
      const period = str(values, 'period');
      if (period) {
        const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
        if (!m) throw new UsageError('--period 的格式应为 2019-01-01..2019-12-31');
        [periodStart, periodEnd] = [m[1], m[2]];
      }
      const ws = Workspace.init(dir, {
        templateId: template,
        title: str(values, 'title'),
        unit: str(values, 'unit'),
        periodStart,
        periodEnd,
        fonds: str(values, 'fonds'),
      });
      const settings = ws.settings();
      out(Boolean(values.json), { dir: ws.dir, settings }, () => `已新建工作区 ${ws.dir}\n${settings.title}　考核期 ${settings.periodStart} 至 ${settings.periodEnd}`);
      ws.close();
      return 0;
    }
    case 'import': {
      const { positionals, values } = parse(rest, {
        indicator: { type: 'string' },
        requirement: { type: 'string' },
        'no-ocr-wait': { type: 'boolean' },
      });
      const ws = openWs(need(positionals, 0, '工作区'));
      const paths = positionals.slice(1);
      if (!paths.length) throw new UsageError('缺少要导入的文件或文件夹');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const report = await importPaths(ws, paths, {
        indicator: str(values, 'indicator'),
        requirement: str(values, 'requirement'),
        signal: controller.signal,
        onProgress: values.json
          ? undefined
          : (e) => {
              if (process.stderr.isTTY) process.stderr.write(`\r已处理 ${e.done} 个文件…`);
            },
      });
      if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
      if (values['no-ocr-wait'] || controller.signal.aborted) {
        out(Boolean(values.json), report, () => describeImport(report));
        ws.close();
        return 0;
      }
      const ocr = await runPendingOcr(ws, { ids: report.imported.map((i) => i.id), signal: controller.signal, onProgress: ocrProgress });
      // The entries now say what OCR found (type, title, date, indicators).
      for (const entry of report.imported) {
        const ev = ws.getEvidence(entry.id);
        if (!ev) continue;
        Object.assign(entry, { type: ev.type, title: ev.title, indicators: ev.links.map((l) => l.indicator) }, ev.date ? { date: ev.date } : {});
      }
      out(Boolean(values.json), { ...report, ocr }, () => `${describeImport(report)}${describeOcr(ocr)}`);
      ws.close();
      return 0;
    }
    case 'ocr': {
      const { positionals, values } = parse(rest, {});
      const ws = openWs(need(positionals, 0, '工作区'));
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const ocr = await runPendingOcr(ws, { signal: controller.signal, onProgress: ocrProgress });
      out(Boolean(values.json), ocr, () => describeOcr(ocr).trim() || '没有需要文字识别的材料。');
      ws.close();
      return 0;
    }
    case 'list': {
      const { positionals, values } = parse(rest, { trash: { type: 'boolean' }, search: { type: 'string' } });
      const ws = openWs(need(positionals, 0, '工作区'));
      const query = str(values, 'search');
      const found = query !== undefined ? new Set(ws.search(query)) : undefined;
      const items = ws.listEvidence({ trash: Boolean(values.trash) }).filter((ev) => !found || found.has(ev.id));
      out(Boolean(values.json), items, () => describeEvidence(items));
      ws.close();
      return 0;
    }
    case 'link':
    case 'unlink': {
      const { positionals, values } = parse(rest, command === 'link' ? { requirement: { type: 'string' } } : {});
      const ws = openWs(need(positionals, 0, '工作区'));
      const id = parseId(need(positionals, 1, '材料编号'));
      const codes = positionals.slice(2);
      if (!codes.length) throw new UsageError('缺少指标编码，例如 1.2');
      let ev: Evidence | undefined;
      for (const code of codes) {
        [ev] = command === 'link' ? ws.link([id], code, str(values, 'requirement')) : ws.unlink([id], code);
      }
      out(Boolean(values.json), ev, () => describeEvidence(ev ? [ev] : []));
      ws.close();
      return 0;
    }
    case 'set': {
      const { positionals, values } = parse(rest, {
        type: { type: 'string' },
        title: { type: 'string' },
        'doc-number': { type: 'string' },
        issuer: { type: 'string' },
        date: { type: 'string' },
        subject: { type: 'string' },
        place: { type: 'string' },
        people: { type: 'string' },
        photographer: { type: 'string' },
        'caption-time': { type: 'string' },
        background: { type: 'string' },
        note: { type: 'string' },
        copy: { type: 'boolean' },
      });
      const ws = openWs(need(positionals, 0, '工作区'));
      const id = parseId(need(positionals, 1, '材料编号'));
      const type = str(values, 'type');
      if (type && !EVIDENCE_TYPES.includes(type as EvidenceType)) {
        throw new UsageError(`未知的材料类型 ${type}。可用：${EVIDENCE_TYPES.map((t) => `${t}(${typeLabel(t)})`).join('、')}`);
      }
      const patch: EvidencePatch = {};
      if (type) patch.type = type as EvidenceType;
      if (str(values, 'title') !== undefined) patch.title = str(values, 'title');
      if (str(values, 'doc-number') !== undefined) patch.docNumber = str(values, 'doc-number');
      if (str(values, 'issuer') !== undefined) patch.issuer = str(values, 'issuer');
      if (str(values, 'date') !== undefined) patch.date = str(values, 'date');
      if (values.copy) patch.isCopy = true;
      const caption = {
        subject: str(values, 'subject'),
        place: str(values, 'place'),
        people: str(values, 'people'),
        photographer: str(values, 'photographer'),
        time: str(values, 'caption-time'),
        background: str(values, 'background'),
      };
      if (Object.values(caption).some((v) => v !== undefined)) {
        patch.caption = Object.fromEntries(Object.entries(caption).filter(([, v]) => v !== undefined));
      }
      if (str(values, 'note') !== undefined) patch.note = str(values, 'note');
      if (!Object.keys(patch).length) throw new UsageError('没有要修改的内容：请给出 --type、--title、--date 等');
      const [ev] = ws.update([id], patch);
      out(Boolean(values.json), ev, () => describeEvidence([ev]));
      ws.close();
      return 0;
    }
    case 'targets': {
      const { positionals, values } = parse(rest, {
        set: { type: 'string', multiple: true },
        target: { type: 'string', multiple: true },
        source: { type: 'string', multiple: true },
      });
      const ws = openWs(need(positionals, 0, '工作区'));
      const actuals = parseAssignments(list(values, 'set'), '--set');
      const goals = parseAssignments(list(values, 'target'), '--target');
      const sources = parseAssignments(list(values, 'source'), '--source');
      const ids = new Set([...actuals.keys(), ...goals.keys(), ...sources.keys()]);
      if (ids.size) {
        ws.setTargets(
          [...ids].map((id) => ({
            id,
            ...(actuals.has(id) ? { actual: parseNumber(actuals.get(id)!, id) } : {}),
            ...(goals.has(id) ? { target: parseNumber(goals.get(id)!, id) } : {}),
            ...(sources.has(id) ? { source: sources.get(id)! } : {}),
          })),
        );
      }
      const defs = new Map(listIndicators(ws.framework()).flatMap(({ indicator }) => indicator.targets.map((t) => [t.id, { ...t, indicator: indicator.code }])));
      const rows = ws.targets().map((t) => ({ ...t, indicator: defs.get(t.id)!.indicator, label: defs.get(t.id)!.label, unit: defs.get(t.id)!.unit, comparison: defs.get(t.id)!.comparison }));
      out(Boolean(values.json), rows, () =>
        rows
          .map((r) => `${r.id}　${r.label}：目标 ${r.comparison} ${r.target ?? '未设'} ${r.unit}，完成 ${r.actual ?? '未填'} ${r.unit}${r.source ? `（${r.source}）` : ''}`)
          .join('\n'),
      );
      ws.close();
      return 0;
    }
    case 'reclassify': {
      const { positionals, values } = parse(rest, {});
      const ws = openWs(need(positionals, 0, '工作区'));
      const result = reclassify(ws);
      out(Boolean(values.json), result, () => `已按人工修正重新归类，${result.changed} 件材料的建议有变化（人工确认过的不变）。`);
      ws.close();
      return 0;
    }
    case 'gaps': {
      const { positionals, values } = parse(rest, {});
      const ws = openWs(need(positionals, 0, '工作区'));
      const report = ws.gaps();
      out(Boolean(values.json), report, () => describeGaps(report, ws.framework()));
      ws.close();
      return 0;
    }
    case 'build': {
      const { positionals, values } = parse(rest, {
        out: { type: 'string' },
        format: { type: 'string' },
        'single-volume': { type: 'boolean' },
        duplex: { type: 'boolean' },
        stamp: { type: 'boolean' },
        'compress-photos': { type: 'boolean' },
        'max-pages': { type: 'string' },
        'max-mb': { type: 'string' },
        font: { type: 'string' },
        'generated-at': { type: 'string' },
      });
      const ws = openWs(need(positionals, 0, '工作区'));
      const outDir = str(values, 'out');
      if (!outDir) throw new UsageError('缺少 --out 输出目录');
      const formats = (str(values, 'format') ?? 'pdf,docx,zip').split(',').map((f) => f.trim()).filter(Boolean);
      for (const f of formats) if (!['pdf', 'docx', 'zip'].includes(f)) throw new UsageError(`未知的输出格式 ${f}（可用 pdf、docx、zip）`);
      const generatedAt = str(values, 'generated-at') ?? new Date().toISOString();
      if (Number.isNaN(Date.parse(generatedAt))) throw new UsageError('--generated-at 应为 ISO 时间，例如 2019-12-20T09:00:00Z');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const result = await buildOutputs(ws.snapshot(), ws, {
        outDir: path.resolve(outDir),
        formats: formats as ('pdf' | 'docx' | 'zip')[],
        singleVolume: Boolean(values['single-volume']),
        duplex: Boolean(values.duplex),
        stamp: Boolean(values.stamp),
        compressPhotos: Boolean(values['compress-photos']),
        maxPagesPerVolume: positiveInt(values, 'max-pages', 20),
        maxMegabytesPerVolume: positiveInt(values, 'max-mb', 1),
        userFont: str(values, 'font') ?? ws.settings().fontFile,
        generatedAt,
        generatorVersion: VERSION,
        signal: controller.signal,
        onProgress: (e) => {
          if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${e.stage} ${e.done}/${e.total}      `);
        },
      });
      if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
      out(Boolean(values.json), result, () =>
        [
          ...result.outputs.map((o) => `${o.format.toUpperCase()}　${o.path}　${o.pages != null ? `${o.pages} 页　` : ''}${(o.bytes / 1024).toFixed(0)} KB`),
          ...(result.fonts.length ? [`字体：${result.fonts.join('；')}`] : []),
          ...result.warnings.map((w) => `⚠ ${w}`),
        ].join('\n'),
      );
      ws.close();
      return 0;
    }
    case 'verify': {
      const { positionals, values } = parse(rest, {});
      const zip = need(positionals, 0, '提交包 zip 文件');
      if (!existsSync(zip)) throw new WorkspaceError('not-found', `找不到文件：${zip}`);
      const result = await verifyPackage(zip);
      out(Boolean(values.json), result, () =>
        result.ok
          ? `校验通过：${result.checked} 个文件的校验码全部一致。`
          : [
              `校验未通过（已检查 ${result.checked} 个文件）：`,
              ...result.missing.map((f) => `  缺少：${f}`),
              ...result.extra.map((f) => `  多出：${f}`),
              ...result.changed.map((f) => `  已改动：${f}`),
            ].join('\n'),
      );
      return result.ok ? 0 : 1;
    }
    case 'demo': {
      const { positionals, values } = parse(rest, { force: { type: 'boolean' } });
      const dir = path.resolve(need(positionals, 0, '示例工作区目录'));
      if (existsSync(dir) && values.force) {
        if (!Workspace.isWorkspace(dir)) throw new UsageError(`--force 只会覆盖已有的工作区，${dir} 不是工作区，未做改动。`);
        const { rmSync } = await import('node:fs');
        rmSync(dir, { recursive: true, force: true });
      }
      const { workspace, report } = await buildDemo(dir);
      const gaps = workspace.gaps();
      out(Boolean(values.json), { dir: workspace.dir, import: report, summary: gaps.summary }, () =>
        [`已生成示例工作区：${workspace.dir}`, describeImport(report), '', describeGaps(gaps, workspace.framework())].join('\n'),
      );
      workspace.close();
      return 0;
    }
    case 'serve': {
      const { positionals, values } = parse(rest, { port: { type: 'string' }, demo: { type: 'boolean' } });
      const port = str(values, 'port') ? Number(str(values, 'port')) : undefined;
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port 应为 0–65535 的整数');
      await runServe({ workspace: positionals[0], port, demo: Boolean(values.demo) });
      return 0;
    }
    default:
      throw new UsageError(`未知命令：${command}`);
  }
}

function positiveInt(values: Options, key: string, min: number): number | undefined {
  const raw = str(values, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} 应为不小于 ${min} 的整数`);
  return n;
}

function periodLabel(period: string): string {
  return { once: '', yearly: '每年', quarterly: '每季度', monthly: '每月', 'per-event': '每次' }[period] ?? '';
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    return await run(argv);
  } catch (error) {
    const err = error as Error & { code?: string };
    const usage = error instanceof UsageError;
    const message = usage ? `${err.message}\n运行 binder --help 查看用法。` : err.message;
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: usage ? 'usage' : (err.code ?? 'failed'), message: err.message } })}\n`);
    process.stderr.write(`错误：${message}\n`);
    if (!usage && !(error instanceof WorkspaceError) && process.env.BINDER_DEBUG) process.stderr.write(`${err.stack}\n`);
    return usage ? 2 : 1;
  }
}
