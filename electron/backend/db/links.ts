import type { EvidenceLink, Origin } from '../../../shared/domain/types.js';
import type { ReadableDb, WritableDb } from './connection.js';
import type { LinkRecord } from './history.js';

export function toLinkRecord(link: EvidenceLink): LinkRecord {
  return { indicator: link.indicator, requirement: link.requirement ?? null, origin: link.origin, confidence: link.confidence };
}

function toLink(row: LinkRecord): EvidenceLink {
  return { indicator: row.indicator, ...(row.requirement ? { requirement: row.requirement } : {}), origin: row.origin as Origin, confidence: row.confidence };
}

/** Links by evidence id: of the given items, or of all when ids is omitted (one query either way). */
export async function linksByEvidence(db: ReadableDb, ids?: number[]): Promise<Map<number, EvidenceLink[]>> {
  const map = new Map<number, EvidenceLink[]>();
  const add = (rows: (LinkRecord & { evidence_id: number })[]) => {
    for (const row of rows) {
      const list = map.get(row.evidence_id) ?? [];
      list.push(toLink(row));
      map.set(row.evidence_id, list);
    }
  };
  if (!ids) {
    add(await db.k.selectFrom('links').selectAll().execute());
    return map;
  }
  for (let i = 0; i < ids.length; i += 500) {
    add(await db.k.selectFrom('links').selectAll().where('evidence_id', 'in', ids.slice(i, i + 500)).execute());
  }
  return map;
}

export async function linksOf(db: ReadableDb, id: number): Promise<LinkRecord[]> {
  return db.k.selectFrom('links').select(['indicator', 'requirement', 'origin', 'confidence']).where('evidence_id', '=', id).orderBy('indicator').execute();
}

/** Inserts or replaces one link as given. */
export async function putLink(db: WritableDb, id: number, link: LinkRecord): Promise<void> {
  const { indicator, requirement, origin, confidence } = link;
  await db.k
    .insertInto('links')
    .values({ evidence_id: id, indicator, requirement, origin, confidence })
    .onConflict((oc) => oc.columns(['evidence_id', 'indicator']).doUpdateSet({ requirement, origin, confidence }))
    .execute();
}

export async function deleteLink(db: WritableDb, id: number, indicator: string): Promise<void> {
  await db.k.deleteFrom('links').where('evidence_id', '=', id).where('indicator', '=', indicator).execute();
}

/** Replaces all links of an item (undo of accept and reclassify). */
export async function replaceLinks(db: WritableDb, id: number, links: LinkRecord[], only?: 'suggested'): Promise<void> {
  let del = db.k.deleteFrom('links').where('evidence_id', '=', id);
  if (only) del = del.where('origin', '=', only);
  await del.execute();
  for (const link of links) await putLink(db, id, link);
}

export async function confirmLinks(db: WritableDb, id: number): Promise<void> {
  await db.k.updateTable('links').set({ origin: 'user', confidence: 1 }).where('evidence_id', '=', id).execute();
}
