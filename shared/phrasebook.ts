import type { Words } from './vocabulary.js';

export type PhraseParams = Record<string, string | number>;

function fill(template: string, params: PhraseParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Sentences with parameters in Chinese and English, keyed by code. The backend says the Chinese (`zh`), which is
 * what it stores and prints; the workbench takes such a sentence back to its code and parameters (`parse`) and
 * says it in English, so both languages come from one table and a stored Chinese sentence needs no second field.
 * Parameters match lazily between fixed text, so templates must not end in a parameter that another could swallow.
 */
export function phrasebook<Code extends string>(table: Record<Code, Words>) {
  const codes = Object.keys(table) as Code[];
  const patterns = codes.map((code) => {
    const names: string[] = [];
    const source = table[code].zh
      .split(/(\{\w+\})/)
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m) return escape(part);
        names.push(m[1]);
        return '([\\s\\S]*?)';
      })
      .join('');
    return { code, names, pattern: new RegExp(`^${source}$`) };
  });
  return {
    zh: (code: Code, params: PhraseParams = {}): string => fill(table[code].zh, params),
    en: (code: Code, params: PhraseParams = {}): string => fill(table[code].en, params),
    parse(text: string): { code: Code; params: Record<string, string> } | null {
      for (const { code, names, pattern } of patterns) {
        const m = pattern.exec(text);
        if (m) return { code, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
      }
      return null;
    },
  };
}
