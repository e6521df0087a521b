import type {
  Evidence,
  EvidenceType,
  Framework,
  GapReport,
  PhotoCaption,
  TargetValue,
  WorkspaceSettings,
} from '../../../shared/domain/types.js';
import type { ComputedValue } from '../../../shared/ledger/compute.js';
import type { RectificationItem } from '../../../shared/rectification/types.js';
import type { ProgressCallback } from '../../../shared/domain/intake.js';
import type { ReaderPool, ReadLimits } from '../intake/read-pool.js';

/** Everything a generator needs to know about a workspace, read once. */
export type WorkspaceSnapshot = {
  dir: string;
  settings: WorkspaceSettings;
  framework: Framework;
  /** Live evidence only (not the trash), ordered by id. */
  evidence: Evidence[];
  targets: TargetValue[];
  gaps: GapReport;
  /** 整改 items (printed as the 整改台账 in the review edition). */
  rectification?: RectificationItem[];
  /** Target figures computed from the ledgers, by target id (dividers print each with its source ledger's page). */
  computed?: ReadonlyMap<string, ComputedValue>;
};

/** Read access to stored files, injected into generators so they never reach into the workspace themselves. */
export type AssetSource = {
  /** Absolute path of the stored original (never modify it). */
  originalPath(sha256: string): string;
  /** A folder for derived files of one kind (conversions, thumbnails); it may be deleted and rebuilt. */
  cacheDir(kind: 'pdf' | 'thumbs' | 'text'): string;
};

export type ImportOptions = {
  /** File everything into this indicator (the user's choice: origin "user"). */
  indicator?: string;
  requirement?: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Time and memory limits of the reader workers (tests lower them). */
  readLimits?: ReadLimits;
  /**
   * Reader workers the caller keeps between imports (a host's direct uploads, one file each: a worker's start-up is
   * most of a small file's import). Not closed by the import; their limits are the pool's, not `readLimits`.
   */
  readers?: ReaderPool;
  /**
   * Team mode: the files are a department's submission (upload into its requirement, or a collection kit); each
   * new item is stored as 待审核 with that department and submitter, for the office to accept or return.
   */
  submission?: { department: string; submittedBy: string };
  /**
   * Where each file goes, by its source as reported (a returned collection kit: the folder it was in); overrides
   * `indicator`/`requirement` for the files it places.
   */
  placeOf?: (source: string) => { indicator: string; requirement: string } | undefined;
};

export type EvidencePatch = {
  type?: EvidenceType;
  title?: string;
  docNumber?: string | null;
  issuer?: string | null;
  date?: string | null;
  caption?: PhotoCaption;
  note?: string | null;
  isCopy?: boolean;
};

export type { HistoryEntry, HistoryEvent } from '../db/history.js';
