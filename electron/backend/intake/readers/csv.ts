/**
 * CSV as county offices save it: one parser and one decoder for every place that reads one (ledgers, the binder's
 * table pages, masked zip copies, 整改 lists), so a file reads the same everywhere.
 */
import { decodeText } from './text.js';

/** RFC 4180 CSV (quotes, doubled quotes, line breaks in quotes); a tab-separated export is read by its tabs. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A CSV file's rows: decoded as text files are (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030), then parsed. */
export function readCsv(bytes: Buffer): string[][] {
  return parseCsv(decodeText(bytes));
}
