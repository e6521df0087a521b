import type { PhotoInfo, Readability } from '../../../../shared/domain/types.js';

export type ReadResult = {
  readability: Readability;
  /** Chinese, user-facing: why it cannot be read, or (with readability 'ok') what cannot be done with it. */
  readError?: string;
  pages?: number;
  text: string;
  /** A PDF whose pages are images with (almost) no text layer. */
  scanned?: boolean;
  photo?: PhotoInfo;
  /** Document properties. `created` is ISO 8601 as stored: "2019-03-15T09:30:00", with "Z"/"+08:00" when the file says. */
  embedded?: { title?: string; author?: string; created?: string };
};

/** Total extracted text is capped: enough for classification, metadata and duplicate detection. */
export const MAX_TEXT_CHARS = 200_000;

export function capText(text: string): string {
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}

export function cleanEmbedded(e: { title?: string; author?: string; created?: string }): ReadResult['embedded'] | undefined {
  const out: { title?: string; author?: string; created?: string } = {};
  const title = e.title?.trim();
  const author = e.author?.trim();
  if (title) out.title = title;
  if (author) out.author = author;
  if (e.created) out.created = e.created;
  return Object.keys(out).length > 0 ? out : undefined;
}
