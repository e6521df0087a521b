import { EVIDENCE_TYPES, type EvidenceType, type FileFormat, type Framework } from '../domain/types.js';
import { extractDocMeta } from '../extract/docmeta.js';
import { addBigrams, type Bag, stemOf } from './features.js';
import { folderStem, matchFolders } from './folders.js';
import { scoreTypes, type TypeScores } from './type-rules.js';

/**
 * Suggests an evidence type and the indicators a file serves. Pure and synchronous.
 *
 * Works on file name and text alone (files arrive flat by chat and mail); a folder name, when there is one, is
 * just more text. Indicators are scored against the framework itself — indicator and requirement titles, hints
 * and keywords — with IDF-weighted character bigrams, so a new framework needs no training. The user's own
 * corrections (a ClassifierModel) pull similar files towards the same answer by nearest-neighbour votes.
 */

export type ClassifyInput = {
  fileName: string;
  text: string;
  format: FileFormat;
  hasExifDate?: boolean;
  folderHint?: string;
  /** Folder names of the file's source path, nearest last (folderNamesOf); none for a flat drop. */
  folders?: readonly string[];
};

export type IndicatorSuggestion = { code: string; confidence: number };

export type Suggestion = {
  type: EvidenceType;
  typeConfidence: number;
  indicators: IndicatorSuggestion[];
};

export type TrainingExample = { input: ClassifyInput; type?: EvidenceType; indicators?: string[] };

/** A stored correction: its bigram counts (not the text, to keep the model small) and what the user chose. */
export type ClassifierExample = { grams: Record<string, number>; type?: EvidenceType; indicators?: string[] };

/** JSON-serialisable; kept per workspace. */
export type ClassifierModel = { version: 1; frameworkId: string; examples: ClassifierExample[] };

// ---------------------------------------------------------------------------------------------------------
// Tuning constants (measured on tests/fixtures/labelled; see tests/unit/classify.test.ts for the figures)

/** Characters of body text that count: titles, 文号 and the first paragraphs carry the meaning. */
const BODY_CHARS = 900;
/** Share of the indicator score that comes from title and file name (the rest from the body). */
const HEAD_SHARE = 0.5;
/** Softmax temperature for type points → confidence. */
const TYPE_TEMPERATURE = 1.6;
/** Raw indicator score at which confidence reaches 1 − 1/e. */
const INDICATOR_SCALE = 0.22;
/** Below this confidence an indicator is not suggested at all. */
const MIN_INDICATOR_CONFIDENCE = 0.3;
/** A second indicator (一材多用) must reach this share of the first one's raw score. */
const SECOND_INDICATOR_SHARE = 0.72;
const MAX_INDICATORS = 3;
/** Corrections closer than this (cosine of IDF-weighted bigrams) vote. */
const MIN_NEIGHBOUR_SIMILARITY = 0.25;
/** Weight of one neighbour vote relative to the framework score. */
const NEIGHBOUR_INDICATOR_WEIGHT = 0.9;
const NEIGHBOUR_TYPE_WEIGHT = 7;
const MIN_TYPE_NEIGHBOUR_SIMILARITY = 0.5;
/** Bigrams kept per stored correction. */
const MAX_EXAMPLE_GRAMS = 400;
/** Raw indicator score added when a folder is named after the indicator (× 0.5 for its category): confidence ≈ 0.87 / 0.64. */
const FOLDER_INDICATOR_SCORE = 0.45;
/** Type points when a folder is named after a kind of evidence ("照片", "会议纪要"): about one 文种 cue. */
const FOLDER_TYPE_POINTS = 4;

// ---------------------------------------------------------------------------------------------------------
// Framework index

type IndicatorProfile = {
  code: string;
  /** Requirement types (and accepted types) of this indicator. */
  types: Set<EvidenceType>;
  keywords: string[];
  /** 负面清单 items are self-checks: a file lands there only on a clear hit. */
  negative: boolean;
  bonus: boolean;
};

type FrameworkIndex = {
  profiles: IndicatorProfile[];
  /** bigram → (indicator index → weight), tf-idf normalised per indicator. */
  postings: Map<string, Map<number, number>>;
  idf: Map<string, number>;
  maxIdf: number;
  /** keyword → number of indicators listing it (rarer keywords say more). */
  keywordSpread: Map<string, number>;
};

const indexCache = new WeakMap<Framework, FrameworkIndex>();
/** Weighted vectors of stored corrections; a model is classified against many files in a row. */
const exampleVectors = new WeakMap<ClassifierExample, Map<string, number>>();

function indexFramework(framework: Framework): FrameworkIndex {
  const cached = indexCache.get(framework);
  if (cached) return cached;
  const profiles: IndicatorProfile[] = [];
  const bags: Bag[] = [];
  for (const category of framework.categories) {
    for (const indicator of category.indicators) {
      const bag: Bag = new Map();
      addBigrams(bag, indicator.title, 3);
      addBigrams(bag, indicator.description ?? '', 1);
      addBigrams(bag, category.title, 1);
      const types = new Set<EvidenceType>();
      const keywords: string[] = [];
      for (const req of indicator.requirements) {
        addBigrams(bag, req.title, 2);
        addBigrams(bag, req.hint ?? '', 1);
        for (const k of req.keywords ?? []) {
          addBigrams(bag, k, 3);
          keywords.push(k);
        }
        types.add(req.type);
        for (const t of req.accepts ?? []) types.add(t);
      }
      for (const t of indicator.targets) addBigrams(bag, t.label, 1);
      profiles.push({ code: indicator.code, types, keywords: [...new Set(keywords)], negative: !!category.negative, bonus: !!category.bonus });
      bags.push(bag);
    }
  }
  const df = new Map<string, number>();
  for (const bag of bags) for (const g of bag.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const n = bags.length;
  const idf = new Map<string, number>();
  let maxIdf = 0;
  for (const [g, d] of df) {
    const v = Math.log(1 + n / d);
    idf.set(g, v);
    maxIdf = Math.max(maxIdf, v);
  }
  const postings = new Map<string, Map<number, number>>();
  bags.forEach((bag, i) => {
    let norm = 0;
    const weights = new Map<string, number>();
    for (const [g, tf] of bag) {
      const w = Math.log(1 + tf) * (idf.get(g) ?? 0);
      weights.set(g, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of weights) {
      let row = postings.get(g);
      if (!row) postings.set(g, (row = new Map()));
      row.set(i, w / norm);
    }
  });
  const keywordSpread = new Map<string, number>();
  for (const p of profiles) for (const k of p.keywords) keywordSpread.set(k, (keywordSpread.get(k) ?? 0) + 1);
  const index = { profiles, postings, idf, maxIdf: maxIdf || 1, keywordSpread };
  indexCache.set(framework, index);
  return index;
}

// ---------------------------------------------------------------------------------------------------------
// Reading an input

type Reading = {
  stem: string;
  title?: string;
  body: string;
  /** Title and file name: the strongest signal. */
  head: string;
  hasDocNumber: boolean;
  /** All features together (for nearest neighbours). */
  grams: Bag;
  headGrams: Bag;
  bodyGrams: Bag;
};

function read(input: ClassifyInput): Reading {
  const stem = stemOf(input.fileName);
  const body = input.text.slice(0, BODY_CHARS);
  const meta = body.trim() ? extractDocMeta(body, input.fileName) : {};
  const title = body.trim() ? meta.title : undefined;
  const folderHint = [input.folderHint ?? '', ...(input.folders ?? []).map(folderStem)].filter(Boolean).join(' ');
  const head = [title ?? '', stem, folderHint].join('\n');
  const headGrams: Bag = new Map();
  addBigrams(headGrams, stem);
  if (title && title !== stem) addBigrams(headGrams, title);
  if (folderHint) addBigrams(headGrams, folderHint);
  const bodyGrams = addBigrams(new Map(), body);
  const grams: Bag = new Map(bodyGrams);
  for (const [g, n] of headGrams) grams.set(g, (grams.get(g) ?? 0) + 2 * n);
  return { stem, title, body, head, hasDocNumber: !!meta.docNumber, grams, headGrams, bodyGrams };
}

function weighted(grams: Bag, index: FrameworkIndex): Map<string, number> {
  // Words the framework never uses (place names, company names) get the highest IDF: they are what tells one
  // workspace's files apart, which is exactly what the user's corrections teach.
  const out = new Map<string, number>();
  for (const [g, tf] of grams) out.set(g, Math.log(1 + tf) * (index.idf.get(g) ?? index.maxIdf));
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const v of a.values()) na += v * v;
  for (const v of b.values()) nb += v * v;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [g, v] of small) {
    const w = large.get(g);
    if (w !== undefined) dot += v * w;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Scoring

function typeConfidences(scores: TypeScores): { type: EvidenceType; confidence: number } {
  let best: EvidenceType = 'other';
  let max = -Infinity;
  for (const t of EVIDENCE_TYPES) if (scores[t] > max) [best, max] = [t, scores[t]];
  let sum = 0;
  for (const t of EVIDENCE_TYPES) sum += Math.exp((scores[t] - max) / TYPE_TEMPERATURE);
  return { type: best, confidence: round(1 / sum) };
}

function similarityToIndicators(grams: Bag, index: FrameworkIndex): number[] {
  const out = new Array<number>(index.profiles.length).fill(0);
  let qnorm = 0;
  const query = new Map<string, number>();
  for (const [g, tf] of grams) {
    const idf = index.idf.get(g);
    if (idf === undefined) continue;
    const w = Math.log(1 + tf) * idf;
    query.set(g, w);
    qnorm += w * w;
  }
  if (!qnorm) return out;
  qnorm = Math.sqrt(qnorm);
  for (const [g, w] of query) {
    const row = index.postings.get(g);
    if (!row) continue;
    for (const [i, iw] of row) out[i] += (w / qnorm) * iw;
  }
  return out;
}

function indicatorScores(reading: Reading, index: FrameworkIndex, type: EvidenceType): number[] {
  // Title and file name are scored apart from the body: a long body would otherwise drown the title, which is
  // the one line written to say what the document is about.
  const head = similarityToIndicators(reading.headGrams, index);
  const body = similarityToIndicators(reading.bodyGrams, index);
  const hasHead = reading.headGrams.size > 0;
  const hasBody = reading.bodyGrams.size > 0;
  const raw = head.map((h, i) => (hasHead && hasBody ? HEAD_SHARE * h + (1 - HEAD_SHARE) * body[i] : h + body[i]));
  const headText = reading.head;
  const bodyText = reading.body;
  index.profiles.forEach((p, i) => {
    let kw = 0;
    for (const k of p.keywords) {
      const spread = index.keywordSpread.get(k) ?? 1;
      const specificity = 1 / spread;
      if (headText.includes(k)) kw += 0.12 * specificity * Math.min(k.length, 5) / 2;
      else if (bodyText.includes(k)) kw += 0.05 * specificity * Math.min(k.length, 5) / 2;
    }
    raw[i] += kw;
    raw[i] *= p.types.has(type) ? 1.15 : 0.85;
    if (p.negative) raw[i] *= 0.5;
    if (p.bonus) raw[i] *= 0.8;
  });
  return raw;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Suggests the type and indicators of one file. `model` holds the user's corrections in this workspace. */
export function classify(input: ClassifyInput, framework: Framework, model?: ClassifierModel): Suggestion {
  const index = indexFramework(framework);
  const reading = read(input);
  const typeScores = scoreTypes({
    format: input.format,
    title: reading.title,
    stem: reading.stem,
    body: reading.body,
    hasDocNumber: reading.hasDocNumber,
    hasRedHeader: /^\s*\S{3,40}文\s*件\s*$/m.test(reading.body.slice(0, 200)),
  });
  const folders = input.folders?.length ? matchFolders(input.folders, framework) : undefined;
  for (const t of folders?.types ?? []) typeScores[t] += FOLDER_TYPE_POINTS;

  const neighbours: { sim: number; example: ClassifierExample }[] = [];
  if (model && model.frameworkId === framework.id && model.examples.length) {
    const q = weighted(reading.grams, index);
    for (const example of model.examples) {
      let vector = exampleVectors.get(example);
      if (!vector) exampleVectors.set(example, (vector = weighted(new Map(Object.entries(example.grams)), index)));
      const sim = cosine(q, vector);
      if (sim >= MIN_NEIGHBOUR_SIMILARITY) neighbours.push({ sim, example });
    }
    // Type votes only from close matches: files about the same topic often differ in genre (协议 vs 台账),
    // while a near-copy (the same monthly form) shares it.
    for (const { sim, example } of neighbours) {
      if (example.type && sim >= MIN_TYPE_NEIGHBOUR_SIMILARITY) typeScores[example.type] += NEIGHBOUR_TYPE_WEIGHT * sim;
    }
  }
  const { type, confidence: typeConfidence } = typeConfidences(typeScores);

  const raw = indicatorScores(reading, index, type);
  if (folders) {
    index.profiles.forEach((p, i) => {
      const weight = folders.indicators.get(p.code);
      // Within a category folder, the indicators that take this kind of evidence come first.
      if (weight) raw[i] += FOLDER_INDICATOR_SCORE * weight * (p.types.has(type) ? 1.15 : 0.85);
    });
  }
  for (const { sim, example } of neighbours) {
    for (const code of example.indicators ?? []) {
      const i = index.profiles.findIndex((p) => p.code === code);
      if (i >= 0) raw[i] += NEIGHBOUR_INDICATOR_WEIGHT * sim;
    }
  }
  const ranked = raw
    .map((score, i) => ({ code: index.profiles[i].code, score }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score);
  const indicators: IndicatorSuggestion[] = [];
  const top = ranked[0]?.score ?? 0;
  for (const r of ranked.slice(0, MAX_INDICATORS)) {
    const confidence = round(1 - Math.exp(-r.score / INDICATOR_SCALE));
    if (confidence < MIN_INDICATOR_CONFIDENCE) break;
    if (indicators.length && r.score < SECOND_INDICATOR_SHARE * top) break;
    indicators.push({ code: r.code, confidence });
  }
  return { type, typeConfidence, indicators };
}

/** Builds a model from the user's corrections; the model stores bigram counts, not the files' text. */
export function trainModel(framework: Framework, examples: TrainingExample[]): ClassifierModel {
  const index = indexFramework(framework);
  return {
    version: 1,
    frameworkId: framework.id,
    examples: examples
      .filter((e) => e.type || e.indicators?.length)
      .map((e) => {
        // Keep the most telling bigrams (rare in the framework, frequent in the file), not merely the most frequent.
        const informative = (g: string, tf: number) => Math.log(1 + tf) * (index.idf.get(g) ?? index.maxIdf);
        const grams = [...read(e.input).grams].sort((a, b) => informative(b[0], b[1]) - informative(a[0], a[1])).slice(0, MAX_EXAMPLE_GRAMS);
        const example: ClassifierExample = { grams: Object.fromEntries(grams) };
        if (e.type) example.type = e.type;
        if (e.indicators?.length) example.indicators = [...e.indicators];
        return example;
      }),
  };
}
