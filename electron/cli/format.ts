import type { ApiError, BuildResult, LedgerRowsPage, LedgerSummary, TargetRow, TemplateSummary, VerifyResult } from '../../shared/api/contract.js';
import { formatWarning } from '../../shared/binder/warnings.js';
import type { RectificationItem } from '../../shared/rectification/types.js';
import { RECTIFICATION_STATUS } from '../../shared/vocabulary.js';
import type { ImportReport, OcrRunReport, ProgressEvent } from '../../shared/domain/intake.js';
import { EVIDENCE_TYPE_LABELS, SEVERITIES, type Evidence, type EvidenceType, type Framework, type GapReport, type WorkspaceSettings } from '../../shared/domain/types.js';
import { COMPARISON, REVIEW_STATE, SEVERITY } from '../../shared/vocabulary.js';
import { ROLE_NAME } from '../../shared/team/roles.js';
import type { Deadline, UserRow } from '../../shared/team/types.js';

/**
 * Everything the binder command prints goes through here: the same data as JSON (`--json`, the contract's
 * output unchanged) or as Chinese lines for a person. Commands decide what to print, never how.
 */

export type Output = { data: unknown; text: () => string; exitCode?: number };

export function print(json: boolean, output: Output): void {
  process.stdout.write(json ? `${JSON.stringify(output.data, null, 2)}\n` : `${output.text()}\n`);
}

/** An error: one JSON line on stdout for scripts (with --json), always a Chinese sentence on stderr. */
export function printError(json: boolean, error: ApiError, hint?: string): void {
  if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
  process.stderr.write(`错误：${error.message}${hint ? `\n${hint}` : ''}\n`);
}

/**
 * Progress of a long job on one rewritten stderr line; only on a terminal, so pipes and logs stay clean. OCR takes
 * seconds a page, so it also says which item it reads when stderr is a pipe or log (one line per item).
 */
export function progressWriter(kind: 'import' | 'ocr' | 'build', enabled: boolean): { update: (e: ProgressEvent) => void; end: () => void } {
  if (kind === 'ocr') return ocrProgressWriter(enabled);
  const on = enabled && Boolean(process.stderr.isTTY);
  let shown = false;
  return {
    update: (e) => {
      if (!on) return;
      shown = true;
      process.stderr.write(kind === 'import' ? `\r已处理 ${e.done} 个文件…` : `\r${e.stage} ${e.done}/${e.total}      `);
    },
    end: () => {
      if (shown) process.stderr.write('\n');
    },
  };
}

function ocrProgressWriter(enabled: boolean): { update: (e: ProgressEvent) => void; end: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  let last = '';
  let shown = false;
  return {
    update: (e) => {
      if (!enabled || e.total === 0) return;
      const line = e.done >= e.total ? '' : `${e.stage} ${e.done + 1}/${e.total}${e.detail ? ` ${e.detail}` : ''}`;
      // The job is polled: write a line only when it says something new.
      if (line === last) return;
      last = line;
      shown = true;
      if (tty) process.stderr.write(`\r\x1b[K${line || `${e.stage}完成 ${e.total} 件`}`);
      else if (line) process.stderr.write(`${line}\n`);
    },
    end: () => {
      if (shown && tty) process.stderr.write('\n');
    },
  };
}

export function describeOcr(report: OcrRunReport): string {
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

export function typeLabel(type: EvidenceType): string {
  return EVIDENCE_TYPE_LABELS[type]?.zh ?? type;
}

function periodLabel(period: string): string {
  return { once: '', yearly: '每年', quarterly: '每季度', monthly: '每月', 'per-event': '每次' }[period] ?? '';
}

const percent = (share: number): string => `${(share * 100).toFixed(0)}%`;

export function describeTemplates(templates: TemplateSummary[]): string {
  return templates.map((t) => `${t.id}　${t.title}${t.years ? `（${t.years}）` : ''}　${t.categories} 类 ${t.indicators} 项指标`).join('\n');
}

export function describeFramework(fw: Framework): string {
  return fw.categories
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
    .join('\n');
}

export function describeNewWorkspace(dir: string, settings: WorkspaceSettings): string {
  return `已新建工作区 ${dir}\n${settings.title}　考核期 ${settings.periodStart} 至 ${settings.periodEnd}`;
}

export function describeImport(report: ImportReport): string {
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
  if (report.kit) {
    const { kit } = report;
    lines.push(`收集包 ${kit.kitId.slice(0, 8)}（${kit.department}）：${kit.filed} 个文件已归入对应材料要求，待审核。`);
    for (const p of kit.problems) lines.push(`  ⚠ ${p.member}：${p.reason}`);
  }
  return lines.join('\n');
}

/** Submissions with their department, who sent them, where they were filed and, when returned, why. */
export function describeReview(items: Evidence[]): string {
  if (!items.length) return '（没有报送材料）';
  return items
    .map((ev) =>
      [
        `[${ev.id}] ${ev.title}`,
        `· ${ev.reviewState ? REVIEW_STATE[ev.reviewState].zh : '本机导入'}`,
        ev.department ? `· ${ev.department}` : '',
        ev.submittedBy ? `· ${ev.submittedBy}` : '',
        ev.links.length ? `· ${ev.links.map((l) => l.requirement ?? l.indicator).join('、')}` : '· 未指明指标',
        ev.reviewComment ? `· 退回原因：${ev.reviewComment}` : '',
        ev.replacedBy ? `· 已由 [${ev.replacedBy}] 替换` : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
    .join('\n');
}

export function describeDeadlines(deadlines: Deadline[]): string {
  if (!deadlines.length) return '（尚未设置报送期限）';
  return deadlines.map((d) => `${d.department}${d.requirement ? ` ${d.requirement}` : d.indicator ? ` 指标 ${d.indicator}` : '（全部待交材料）'}：${d.due} 前`).join('\n');
}

export function describeEvidence(items: Evidence[]): string {
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

export function describeTargets(rows: TargetRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.id}　${r.label}：目标${COMPARISON[r.comparison].zh} ${r.target ?? '未设'} ${r.unit}，完成 ${r.actual ?? '未填'} ${r.unit}${r.source ? `（${r.source}）` : ''}` +
        (r.computed
          ? `\n    台账计算 ${r.computed.value} ${r.unit}${r.actual !== null && r.actual !== r.computed.value ? '（与填写的不同）' : ''}：${r.computed.formula}` +
            `\n    来源：${r.computed.sources.map((s) => `材料 ${s.evidence}“${s.sheet}”第 ${compactRows(s.rows)} 行`).join('；')}`
          : ''),
    )
    .join('\n');
}

/** 3,4,5,6,9 → "3–6、9" */
function compactRows(rows: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
    parts.push(j > i ? `${rows[i]}–${rows[j]}` : String(rows[i]));
    i = j + 1;
  }
  return parts.join('、');
}

export function describeLedgers(rows: LedgerSummary[]): string {
  if (!rows.length) return '工作区中没有电子表格台账（xlsx、xls、et、ods、csv）。';
  return rows
    .map((l) => {
      const where = `材料 ${l.evidence}《${l.title}》${l.sheet ? `工作表“${l.sheet}”` : ''}`;
      if (!l.kind) return `${where}：${l.problem ?? '未识别出台账表头'}`;
      const columns = Object.entries(l.columns).map(([field, header]) => `${field}←${header}`).join('，');
      const how = l.origin === 'user' ? '人工指定' : `自动识别，把握 ${Math.round(l.confidence * 100)}%${l.used ? '' : '，把握不足，未计入指标（请用 --map 指定）'}`;
      return `${where}：${l.kindTitle ?? l.kind}，${l.rows} 行（表头第 ${l.headerRows.join('、')} 行，${how}）\n    ${columns}`;
    })
    .join('\n');
}

export function describeLedgerRows(page: LedgerRowsPage): string {
  const label = new Map(page.columns.map((c) => [c.field, c.label]));
  const head = `材料 ${page.evidence} 工作表“${page.sheet}”：${page.kindTitle ?? page.kind ?? '未识别的表格'}，共 ${page.total} 行，显示第 ${page.total ? page.offset + 1 : 0}–${page.offset + page.rows.length} 行${page.masked ? '（身份证号、手机号已遮蔽）' : ''}`;
  const cells = (values: Record<string, string | number>) => Object.entries(values).map(([k, v]) => `${label.get(k) ?? k}=${v}`).join('，');
  const rows = page.rows.map((r) => `第 ${r.row} 行：${cells(r.values)}${r.problems.length ? `\n    问题：${r.problems.map((p) => p.zh).join('；')}` : ''}`);
  const totals = page.totals.map((t) => `第 ${t.row} 行（${t.label}）：${cells(t.values)}`);
  return [head, ...rows, ...totals].join('\n');
}

export function describeReclassify(result: { changed: number }): string {
  return `已按人工修正重新归类，${result.changed} 件材料的建议有变化（人工确认过的不变）。`;
}

export function describeGaps(report: GapReport, framework: Framework): string {
  const s = report.summary;
  const special = new Map(framework.categories.map((c) => [c.code, c.bonus ? '加分项，不计入完成度' : c.negative ? '自查项，不计入完成度' : '']));
  const mark = (severity: string): string => (severity === 'error' ? '✗' : '⚠');
  const lines = [`总体完成度 ${percent(s.completeness)}　${SEVERITIES.map((k) => `${SEVERITY[k].zh} ${s.counts[k]}`).join('　')}`, ''];
  for (const cat of s.categories) {
    const note = special.get(cat.code);
    lines.push(`${cat.code} ${cat.title}　${note ? `（${note}）` : percent(cat.completeness)}`);
    for (const ind of cat.indicators) {
      const status = note ? (ind.requirements.some((r) => r.have > 0) ? '✓' : '·') : ind.status === 'met' ? '✓' : ind.status === 'partial' ? '◐' : '✗';
      const share = note ? '' : `　${percent(ind.completeness)}`;
      lines.push(`  ${status} ${ind.code} ${ind.title}${share}${ind.department ? `　（${ind.department}）` : ''}`);
      for (const f of report.findings.filter((x) => x.indicator === ind.code && x.severity !== 'info')) {
        lines.push(`      ${mark(f.severity)} ${f.message}　→ ${f.action}`);
      }
    }
  }
  const loose = report.findings.filter((f) => !f.indicator && f.severity !== 'info');
  if (loose.length) {
    lines.push('', '其他问题：');
    for (const f of loose) lines.push(`  ${mark(f.severity)} ${f.message}　→ ${f.action}`);
  }
  if (s.departments.length) {
    lines.push('', '各牵头单位待补：');
    for (const d of s.departments) lines.push(`  ${d.department}：${d.items.length} 项`);
  }
  return lines.join('\n');
}

export function describeBuild(result: BuildResult): string {
  return [
    ...result.outputs.map((o) => `${o.format.toUpperCase()}　${o.path}　${o.pages != null ? `${o.pages} 页　` : ''}${(o.bytes / 1024).toFixed(0)} KB`),
    ...(result.fonts.length ? [`字体：${result.fonts.join('；')}`] : []),
    ...result.warnings.map((w) => `⚠ ${formatWarning(w)}`),
  ].join('\n');
}

export function describeVerify(result: VerifyResult): string {
  return result.ok
    ? `校验通过：${result.checked} 个文件的校验码全部一致。`
    : [
        `校验未通过（已检查 ${result.checked} 个文件）：`,
        ...result.missing.map((f) => `  缺少：${f}`),
        ...result.extra.map((f) => `  多出：${f}`),
        ...result.changed.map((f) => `  已改动：${f}`),
      ].join('\n');
}

export function describeDemo(dir: string, report: ImportReport, gaps: GapReport, framework: Framework): string {
  return [`已生成示例工作区：${dir}`, describeImport(report), '', describeGaps(gaps, framework)].join('\n');
}

/** One line per 整改 item: number, status, problem, then who, when, where from and its evidence. */
export function describeRectification(items: RectificationItem[]): string {
  if (!items.length) return '还没有整改事项。用 rectify <工作区> add --text … 或 import <清单.xlsx> 添加。';
  return items
    .map((i) => {
      const facts = [
        i.indicator ? `指标 ${i.indicator}` : '',
        i.department ? `责任单位 ${i.department}` : '',
        i.due ? `时限 ${i.due}` : '',
        i.source ? `来源 ${i.source}` : '',
        i.evidence.length ? `佐证 ${i.evidence.join('、')}` : '',
      ].filter(Boolean);
      return `${i.id}　[${RECTIFICATION_STATUS[i.status].zh}] ${i.text}${facts.length ? `（${facts.join('；')}）` : ''}`;
    })
    .join('\n');
}

export function describeRectificationImport(result: { added: RectificationItem[]; problems: { row: number; message: string }[]; headerRow: number }): string {
  return [
    `已导入 ${result.added.length} 项整改事项（表头在第 ${result.headerRow} 行）。`,
    ...result.problems.map((p) => `⚠ ${p.message}`),
    ...(result.added.length ? ['', describeRectification(result.added)] : []),
  ].join('\n');
}

export function describeUsers(rows: UserRow[]): string {
  if (!rows.length) return '还没有用户。用 binder users <工作区> add --name admin --role admin --password-stdin 添加管理员。';
  return rows
    .map((u) => {
      const state = u.disabled ? '已停用' : u.lockedUntil ? `锁定至 ${u.lockedUntil}` : '可用';
      const departments = u.departments.length ? `　${u.departments.join('、')}` : '';
      return `${u.name}${u.displayName ? `（${u.displayName}）` : ''}　${ROLE_NAME[u.role].zh}${departments}　${state}${u.lastLoginAt ? `　最近登录 ${u.lastLoginAt}` : ''}`;
    })
    .join('\n');
}
