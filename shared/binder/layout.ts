/**
 * layoutVolume: measured page counts → the page numbers the 卷内目录 prints.
 *
 * Numbering starts at 1 on the first indicator divider and runs continuously to the last evidence page;
 * cover, catalogue and 备考表 are not numbered (domain.md §4). Because the catalogue sits before the
 * numbered part, its own length never shifts the numbers: one pass is stable.
 */
import type { BinderItem, BinderVolume, CatalogueRow, PageMeasure, VolumeLayout } from './types.js';

export function layoutVolume(volume: BinderVolume, measure: PageMeasure): VolumeLayout {
  const failed = measure.failedConversions ?? new Set<string>();
  const pagesOf = (item: BinderItem): number => {
    if (item.render.kind === 'convert' && failed.has(item.number)) return 1;
    return Math.max(1, Math.round(measure.itemPages(item)));
  };
  const rows: CatalogueRow[] = [];
  const dividerPage: number[] = [];
  const itemPage = new Map<string, number>();
  const itemPageCount = new Map<string, number>();
  let page = 1;
  let seq = 0;
  volume.sections.forEach((section, si) => {
    dividerPage.push(page);
    rows.push({
      kind: 'indicator',
      indicatorCode: section.indicatorCode,
      title: `${section.indicatorCode} ${section.indicatorTitle}${section.continued ? '（续）' : ''}`,
      page,
      continued: section.continued,
    });
    page += Math.max(1, measure.dividerPages?.(si) ?? 1);
    for (const ref of section.crossReferences) {
      rows.push({ kind: 'cross-reference', indicatorCode: section.indicatorCode, title: ref.title, remarks: ref.shortText });
    }
    for (const block of section.blocks) {
      const items = block.kind === 'photos' ? block.items : [block.item];
      const blockPages = block.kind === 'photos' ? 1 : pagesOf(block.item);
      for (const item of items) {
        seq += 1;
        itemPage.set(item.number, page);
        itemPageCount.set(item.number, blockPages);
        const remarks = [...item.remarks];
        if (item.render.kind === 'convert' && failed.has(item.number)) remarks.push('无法转换');
        rows.push({
          kind: 'item',
          seq,
          number: item.number,
          archivalCode: item.archivalCode,
          docNumber: item.docNumber ?? '',
          issuer: item.issuer ?? '',
          title: item.title,
          date: item.date ?? '',
          page,
          lastPage: page + blockPages - 1,
          pageText: String(page),
          pages: blockPages,
          remarks: remarks.join('；'),
          evidenceId: item.evidenceId,
        });
      }
      page += blockPages;
    }
  });
  // GB/T 9705: the last item's 页号 is written as its range (起止页号).
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row.kind !== 'item') continue;
    if (row.lastPage > row.page) row.pageText = `${row.page}-${row.lastPage}`;
    break;
  }
  const notes = [...volume.notes];
  for (const item of volume.items) {
    if (item.render.kind === 'convert' && failed.has(item.number)) {
      notes.push(`第${item.number}件《${item.title}》未能转换为 PDF，以说明页代替。`);
    }
  }
  return { rows, numberedPages: page - 1, dividerPage, itemPage, itemPageCount, notes };
}
