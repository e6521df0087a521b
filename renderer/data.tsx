import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { EvidenceRow, TargetRow, WorkspaceInfo } from '../shared/api/contract.js';
import type { Finding, GapReport, Indicator } from '../shared/domain/types.js';
import { useQuery } from './api/hooks.js';

/** What every screen of an open workspace reads; fetched once and refreshed by tag after each change. */
export type WorkspaceData = {
  info: WorkspaceInfo;
  evidence: EvidenceRow[] | undefined;
  gaps: GapReport | undefined;
  targets: TargetRow[] | undefined;
  indicators: Map<string, Indicator>;
  /** Findings that name an evidence item, by evidence id. */
  findingsByEvidence: Map<number, Finding[]>;
  evidenceById: Map<number, EvidenceRow>;
  loadError: string | null;
};

const DataContext = createContext<WorkspaceData | null>(null);

export function WorkspaceDataProvider({ info, children }: { info: WorkspaceInfo; children: ReactNode }) {
  const evidence = useQuery('evidence.list', {}, ['evidence']);
  const gaps = useQuery('gaps.get', {}, ['gaps', 'evidence', 'targets']);
  const targets = useQuery('targets.list', {}, ['targets']);
  const value = useMemo<WorkspaceData>(() => {
    const indicators = new Map(info.framework.categories.flatMap((c) => c.indicators.map((i) => [i.code, i] as const)));
    const findingsByEvidence = new Map<number, Finding[]>();
    for (const f of gaps.data?.findings ?? []) {
      for (const id of f.evidence ?? []) {
        if (!findingsByEvidence.has(id)) findingsByEvidence.set(id, []);
        findingsByEvidence.get(id)!.push(f);
      }
    }
    return {
      info,
      evidence: evidence.data,
      gaps: gaps.data,
      targets: targets.data,
      indicators,
      findingsByEvidence,
      evidenceById: new Map((evidence.data ?? []).map((e) => [e.id, e])),
      loadError: evidence.error ?? gaps.error ?? targets.error,
    };
  }, [info, evidence.data, gaps.data, targets.data, evidence.error, gaps.error, targets.error]);
  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}

export function useWorkspaceData(): WorkspaceData {
  const data = useContext(DataContext);
  if (!data) throw new Error('WorkspaceDataProvider missing');
  return data;
}

/** Where a click on a finding (or elsewhere) should take the user. */
export type Focus =
  | {
      tab: 'evidence';
      evidenceId: number;
      /** The part of the item's form the user came to fix (focused and scrolled into view). */
      field?: EvidenceField;
      /** The screen the user came from, offered as a "back" button. */
      back?: BackTarget;
    }
  | { tab: 'indicators'; indicator: string; requirement?: string };

export type EvidenceField = 'title' | 'docNumber' | 'issuer' | 'date' | 'caption' | 'link';
export type BackTarget = 'findings' | 'department';
