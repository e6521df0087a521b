// word-extractor ships no types; only what legacy.ts uses.
declare module 'word-extractor' {
  export type WordDocument = {
    getBody(): string;
    getFootnotes(): string;
    getEndnotes(): string;
    getHeaders(options?: { includeFooters?: boolean }): string;
  };
  export default class WordExtractor {
    extract(source: string | Buffer): Promise<WordDocument>;
  }
}
