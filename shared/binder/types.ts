/**
 * Binder plan types: everything a renderer (PDF, DOCX) needs to print a binder, decided once and purely.
 * See shared/domain.md §4 (GB/T 9705 卷内目录, DA/T 22 档号, GB/T 9704 layout, photo captions, 备考表).
 *
 * Page numbers are not known when the plan is made (office files still need converting, a divider may
 * run to two pages), so the plan carries page COUNTS where known and `layoutVolume` (layout.ts) turns
 * measured counts into the exact page numbers the catalogue prints.
 */
import type {
  Comparison,
  EvidenceType,
  FileFormat,
  RequirementStatus,
  Severity,
} from '../domain/types.js';

/**
 * 报送版 (submission) is what goes to the inspectors: only confirmed, in-period, readable filings, each once,
 * and none of the office's self-check. 自查版 (review) is the office's working copy with findings and gaps.
 */
export type BinderEdition = 'submission' | 'review';

/** Spreadsheets the binder prints as its own A4 tables (read by us, not printed through LibreOffice). */
export type TableSource = 'xlsx' | 'csv' | 'xls' | 'et' | 'ods';

export type BuildWarningKind =
  | 'unconfirmed'
  /** Department submissions not accepted in review (待审核 or returned). */
  | 'awaiting-review'
  | 'out-of-period'
  | 'duplicate'
  | 'unreadable'
  | 'empty-slot'
  | 'unfiled'
  | 'filename-title'
  | 'conversion'
  | 'photo'
  | 'scaled'
  /** Personal data (ID or mobile numbers) in the submission edition: masking turned off, or an original we cannot mask. */
  | 'personal-data'
  /** The DOCX's TOC page numbers are docx's estimate (LibreOffice missing or its layout pass failed). */
  | 'docx-toc-estimated';

/**
 * One thing the user should know about a build, decided once where it happens and rendered to text once
 * (`formatWarning`): `volume` is the 卷 label it concerns, `item` the 件号 or 《题名》 of the item, or null.
 */
export type BuildWarning = {
  volume: string | null;
  item: string | null;
  kind: BuildWarningKind;
  message: string;
  /** The same in English, where the warning has it (the English UI shows it). */
  messageEn?: string;
  /** The figures and names in the message, so the workbench can say it in English (see warnings.ts). */
  params?: Record<string, string | number>;
};

export type BinderOptions = {
  /** Default 'submission'. */
  edition?: BinderEdition;
  /** One volume for the whole framework instead of one per category. */
  singleVolume?: boolean;
  /** Split a volume (上/下, （一）（二）…) when its estimated numbered pages exceed this. */
  maxPagesPerVolume?: number;
  /** Split a volume when the stored bytes of its items exceed this. */
  maxBytesPerVolume?: number;
  /** Duplex printing: page numbers right on odd pages, left on even pages (GB/T 9704); else centred. */
  duplex?: boolean;
  /** Print an 归档章-style box (档号/件号/页数) top-right on each item's first page. */
  stamp?: boolean;
  /** Show the open findings of each indicator on its divider page (default true). */
  includeFindings?: boolean;
};

/** How the renderer gets the pages of one item. */
export type ItemRender =
  /** A readable PDF: copy its pages as they are. */
  | { kind: 'pdf' }
  /** An office file: use the converted PDF (conversion may still fail → placeholder page + warning). */
  | { kind: 'convert' }
  /** A spreadsheet (ledger, roster) printed by us as an A4 landscape table with grid lines and repeated headers. */
  | { kind: 'table'; source: TableSource }
  /** A photo: shares a photo page (2 per A4) with its neighbour; caption under it. */
  | { kind: 'photo' }
  /** An image that is not a photo (a scanned document as JPEG): one image per page, no caption. */
  | { kind: 'image' }
  /** Cannot be bound (encrypted, corrupt, unsupported format): a marked placeholder page. */
  | { kind: 'placeholder'; reason: string; fix: string };

/** One 件 (filed item), bound once, at its first indicator in framework order. */
export type BinderItem = {
  /** 件号: 4 digits, continuous within the volume ("0001"). */
  number: string;
  /** 档号 `全宗号-WS·年度-D30-机构代码-件号` when settings.fonds is set. */
  archivalCode?: string;
  evidenceId: number;
  sha256: string;
  format: FileFormat;
  type: EvidenceType;
  originalName: string;
  /** Title as printed: self-made titles (photos, titles taken from the file name) are in [square brackets]. */
  title: string;
  selfMadeTitle: boolean;
  /** 文号 */
  docNumber?: string;
  /** 责任者 */
  issuer?: string;
  /** 日期 YYYYMMDD (DA/T 22) */
  date?: string;
  /** The title was taken from a file name (`IMG_20190925_160233`): flagged in the review edition. */
  titleFromFileName?: boolean;
  /** 备注 known at plan time: 复印件, 加密, 文件损坏 … (the renderer adds 无法转换 when conversion fails). */
  remarks: string[];
  render: ItemRender;
  /** Page count when known (evidence.pages; 1 for images and placeholders); null = must be measured. */
  knownPages: number | null;
  /** Stored size in bytes (volume split by size). */
  bytes: number;
  /** Indicator code the item is bound under. */
  indicator: string;
  /** Other indicators that reference this item (each gets a 参见 entry instead of a second copy). */
  alsoUnder: string[];
  /** Photo caption lines (六要素), only for render.kind === 'photo'. */
  caption?: PhotoCaptionLines;
};

export type PhotoCaptionLines = {
  /** 题名 (same as item title, brackets kept) */
  title: string;
  /** 时间 YYYYMMDD */
  time?: string;
  place?: string;
  people?: string;
  photographer?: string;
  /** 说明 (背景 and note joined) */
  note?: string;
  /** 参见号: 件号 of the related document in the same indicator (same date), if any. */
  seeAlso?: string;
};

/** A block of printed pages inside an indicator section. */
export type BinderBlock =
  | { kind: 'document'; item: BinderItem }
  /** One A4 photo page holding one or two photos (consecutive photos of the same indicator). */
  | { kind: 'photos'; items: BinderItem[] };

/** A 参见 entry: an item bound elsewhere, listed here (never printed twice). */
export type CrossReference = {
  evidenceId: number;
  title: string;
  /** Volume (1-based 卷号) and 件号 where it is bound. */
  volumeNumber: number;
  volumeLabel: string;
  number: string;
  archivalCode?: string;
  boundIndicator: string;
  /** "参见第1卷 件号0003（1.1 党委政府研究部署）" */
  text: string;
  /** For the catalogue's narrow 备注 column: "见第1卷0003" / "见本卷0003". */
  shortText: string;
};

export type DividerRequirement = {
  id: string;
  title: string;
  type: EvidenceType;
  mandatory: boolean;
  status: RequirementStatus;
  have: number;
  need: number;
  /** 件号 (or 参见 text) of the items that fill it. */
  items: string[];
};

/**
 * Where a ledger a figure was computed from is bound: its 件号 in this volume (the renderer prints its page, known
 * only after pagination), or another volume's number and 件号; neither when this edition does not bind it.
 */
export type DividerSource = { evidenceId: number; number?: string; volume?: number };

export type DividerTarget = {
  id: string;
  label: string;
  unit: string;
  comparison: Comparison;
  target: number | null;
  actual: number | null;
  source?: string;
  /** null when target or actual is unknown. */
  met: boolean | null;
  /** The figure computed from the ledgers, the ledger kind's title (转移就业台账) and where each source is bound. */
  computed?: { value: number; ledger: string; sources: DividerSource[] };
};

export type DividerFinding = {
  id: string;
  severity: Severity;
  message: string;
  action: string;
};

/** One indicator inside a volume: a divider page then its blocks. */
export type BinderSection = {
  categoryCode: string;
  categoryTitle: string;
  indicatorCode: string;
  indicatorTitle: string;
  description?: string;
  department?: string;
  /** True when a split volume continues this indicator from the previous part (divider says 续). */
  continued: boolean;
  requirements: DividerRequirement[];
  targets: DividerTarget[];
  findings: DividerFinding[];
  crossReferences: CrossReference[];
  blocks: BinderBlock[];
};

export type BinderVolume = {
  /** 0-based index into plan.volumes */
  index: number;
  /** 卷号 1-based */
  number: number;
  /** "第1卷 组织领导" / "第3卷 资金使用（上）" */
  label: string;
  /** Name without the number: "组织领导（上）" */
  name: string;
  categoryCodes: string[];
  /** 上/下 or （一）（二）… when a category was split; undefined otherwise. */
  part?: string;
  sections: BinderSection[];
  /** Items in binding order (flattened from sections). */
  items: BinderItem[];
  /** Numbered pages estimated from known counts (unknown office files count 2, photos ½). */
  estimatedPages: number;
  bytes: number;
  /** 备考表 情况说明 lines the plan knows (missing items, copies, unreadable files). */
  notes: string[];
};

export type BinderPlan = {
  generatedAt: string;
  title: string;
  unit: string;
  periodStart: string;
  periodEnd: string;
  frameworkTitle: string;
  /** Options with defaults applied. */
  frameworkId: string;
  /** 全宗号 and 机构代码 as printed in the 归档章 (empty when not set). */
  fonds: string;
  orgCode: string;
  /** 年度 of the 档号 */
  year: string;
  options: Required<Pick<BinderOptions, 'edition' | 'singleVolume' | 'duplex' | 'stamp' | 'includeFindings'>> &
    Pick<BinderOptions, 'maxPagesPerVolume' | 'maxBytesPerVolume'>;
  volumes: BinderVolume[];
  /** Evidence not linked to any indicator of the framework: not bound. */
  unfiled: { evidenceId: number; title: string }[];
  /** Evidence the submission edition leaves out, and why (also in `warnings`). */
  leftOut: { evidenceId: number; title: string; kind: BuildWarningKind }[];
  /** The office's self-check, only in the review edition: findings by indicator and overall completeness. */
  selfCheck?: SelfCheck;
  warnings: BuildWarning[];
};

export type SelfCheck = {
  /** 0–1 */
  completeness: number;
  findings: (DividerFinding & { indicator?: string; indicatorTitle?: string; department?: string })[];
};

/** Measured page counts handed to `layoutVolume`. */
export type PageMeasure = {
  /** Pages of each item's document block by 件号 (photo pages are always 1 per block). */
  itemPages: (item: BinderItem) => number;
  /** Pages of each section's divider (index into volume.sections); default 1. */
  dividerPages?: (sectionIndex: number) => number;
  /** 件号 of items whose conversion failed (their placeholder is 1 page; 备注 gets 无法转换). */
  failedConversions?: ReadonlySet<string>;
};

/** A row of the 卷内目录 (GB/T 9705): 顺序号 · 文号 · 责任者 · 题名 · 日期 · 页号 · 备注. */
export type CatalogueRow =
  | {
      kind: 'indicator';
      indicatorCode: string;
      title: string;
      /** Page of the divider */
      page: number;
      continued: boolean;
    }
  | {
      kind: 'item';
      /** 顺序号 1-based */
      seq: number;
      number: string;
      archivalCode?: string;
      docNumber: string;
      issuer: string;
      title: string;
      date: string;
      /** First numbered page of the item; last row prints the range `page-lastPage`. */
      page: number;
      lastPage: number;
      /** 页号 as printed ("12" or "12-15" for the last row). */
      pageText: string;
      /** Number of pages of the item */
      pages: number;
      remarks: string;
      evidenceId: number;
    }
  | {
      kind: 'cross-reference';
      indicatorCode: string;
      title: string;
      remarks: string;
    };

export type VolumeLayout = {
  rows: CatalogueRow[];
  /** Numbered pages (from the first divider to the last evidence page). */
  numberedPages: number;
  /** First numbered page of each section's divider, by section index. */
  dividerPage: number[];
  /** First numbered page of each item, by 件号. */
  itemPage: Map<string, number>;
  /** Pages of each item by 件号 (placeholders and photo items included). */
  itemPageCount: Map<string, number>;
  /** 备考表 情况说明 lines (plan notes + failed conversions). */
  notes: string[];
};
