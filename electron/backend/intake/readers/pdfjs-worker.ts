/**
 * pdf.js's worker code, loaded once per process with parsed predefined CMaps kept between documents.
 *
 * A Chinese PDF whose font is not embedded names a predefined CMap (UniGB-UCS2-H, Adobe-GB1-UCS2 …). pdf.js keeps
 * only the CMap's file bytes, per document: every document parses ~30 000 mappings again, builds a to-Unicode table
 * from them and a font-char table from that — ~100 ms of a ~150 ms import on a county PC, for the same result each
 * time. The three results depend only on the CMap (and the CID ordering), so they are kept for the life of the
 * process. pdf.js has no option for this; its worker source is loaded with four small edits instead. If an edit no
 * longer matches (another pdfjs-dist version), the stock worker is used: slower, never wrong.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path, { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER_FILE = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'legacy', 'build', 'pdf.worker.mjs');

/** Parsed predefined CMaps kept at most; a document uses one or two, a hostile one could name all ~180. */
const MAX_PARSED_CMAPS = 16;

const CACHES = `
const __ebParsedCMaps = new Map();
const __ebToUnicode = new WeakMap();
const __ebFontChars = new WeakMap();
function __ebSharedToUnicode(array) {
  const map = new ToUnicodeMap(array);
  map.__ebShared = true;
  return map;
}
function createBuiltInCMap(name, fetchBuiltInCMap) {
  let parsed = __ebParsedCMaps.get(name);
  if (!parsed) {
    if (__ebParsedCMaps.size >= ${MAX_PARSED_CMAPS}) __ebParsedCMaps.delete(__ebParsedCMaps.keys().next().value);
    parsed = __ebCreateBuiltInCMap(name, fetchBuiltInCMap);
    __ebParsedCMaps.set(name, parsed);
    parsed.catch(() => __ebParsedCMaps.delete(name));
  }
  return parsed;
}
`;

/** [what pdf.js 5.x has, what replaces it]; each must occur exactly once. */
const EDITS: [string, string][] = [
  // 1. A built-in CMap is parsed once (a CMap is not changed after parsing: fonts only look codes up in it).
  ['async function createBuiltInCMap(name, fetchBuiltInCMap) {', `${CACHES}async function __ebCreateBuiltInCMap(name, fetchBuiltInCMap) {`],
  // 2. The to-Unicode table of a built-in CMap is built once per CID ordering and shared …
  [
    `      const toUnicode = [],
        buf = [];
      properties.cMap.forEach(function (charcode, cid) {`,
    `      const __ebByOrdering = properties.cMap.builtInCMap ? (__ebToUnicode.get(properties.cMap) ?? new Map()) : undefined;
      __ebByOrdering && __ebToUnicode.set(properties.cMap, __ebByOrdering);
      const __ebKnown = __ebByOrdering?.get(\`\${registry}-\${ordering}\`);
      if (__ebKnown) {
        return __ebSharedToUnicode(__ebKnown);
      }
      const toUnicode = [],
        buf = [];
      properties.cMap.forEach(function (charcode, cid) {`,
  ],
  [
    `          toUnicode[charcode] = String.fromCharCode(...buf);
        }
      });
      return new ToUnicodeMap(toUnicode);`,
    `          toUnicode[charcode] = String.fromCharCode(...buf);
        }
      });
      if (__ebByOrdering) {
        __ebByOrdering.set(\`\${registry}-\${ordering}\`, toUnicode);
        return __ebSharedToUnicode(toUnicode);
      }
      return new ToUnicodeMap(toUnicode);`,
  ],
  // 3. … copied before a font amends it, so one font's additions never reach another's.
  [
    `  amend(map) {
    for (const charCode in map) {`,
    `  amend(map) {
    if (this.__ebShared) {
      this._map = this._map.slice();
      this.__ebShared = false;
    }
    for (const charCode in map) {`,
  ],
  // 4. The font-char table of a composite font without a font file follows from the shared to-Unicode table alone.
  [
    `      const glyphsUnicodeMap = getGlyphsUnicode();
      const map = [];
      this.toUnicode.forEach((charCode, unicodeCharCode) => {`,
    `      const glyphsUnicodeMap = getGlyphsUnicode();
      const __ebShared = this.composite && this.toUnicode.__ebShared ? this.toUnicode._map : undefined;
      const __ebKnown = __ebShared && __ebFontChars.get(__ebShared);
      const map = __ebKnown || [];
      if (!__ebKnown) this.toUnicode.forEach((charCode, unicodeCharCode) => {`,
  ],
  [
    `      this.toFontChar = map;
    }
    amendFallbackToUnicode(properties);`,
    `      if (__ebShared && !__ebKnown) __ebFontChars.set(__ebShared, map);
      this.toFontChar = map;
    }
    amendFallbackToUnicode(properties);`,
  ],
];

/**
 * Where the edited source is kept: a file in the temp folder named by the stock file (size, time) and the edits, so
 * each process after the first loads it without reading and editing 2 MB again. Node loads a file module in a
 * fraction of the time it takes for the same source as a data: URL.
 */
function editedWorkerFile(): string {
  const { size, mtimeMs } = statSync(WORKER_FILE);
  const key = createHash('sha256').update(JSON.stringify([WORKER_FILE, size, mtimeMs, EDITS, editedWorkerSource.toString()])).digest('hex').slice(0, 16);
  // Under a node_modules folder: test runners (vitest) then load it as Node does, instead of transforming 2 MB.
  return path.join(privateFolder(), 'node_modules', `pdf.worker-${key}.mjs`);
}

/**
 * Code is loaded from here, so nobody else may write to it: a folder per user (Linux shares /tmp), created private,
 * and refused if it belongs to someone else or others can write to it.
 */
function privateFolder(): string {
  const uid = process.getuid?.();
  const dir = path.join(os.tmpdir(), `evidence-binder-pdfjs-${uid ?? 'user'}`);
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true, mode: 0o700 });
  for (const folder of [dir, path.join(dir, 'node_modules')]) {
    const st = statSync(folder);
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) throw new Error(`${folder} is not private`);
  }
  return dir;
}

/** Writes the file beside and renames it: a reader in another worker never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

type WorkerModule = { WorkerMessageHandler: unknown };
type PdfjsGlobal = { pdfjsWorker?: WorkerModule };

let installing: Promise<boolean> | undefined;

/** The edited worker source, or undefined when this pdfjs-dist does not have the code the edits expect. */
export function editedWorkerSource(source: string, stockUrl: string = JSON.stringify(pathToFileURL(WORKER_FILE).href)): string | undefined {
  let out = source;
  for (const [from, to] of EDITS) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + from.length) >= 0) return undefined;
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  // Loaded from a copy elsewhere, the module would otherwise not know where it lives (its WASM loaders ask).
  // The source map stays beside the stock file only.
  return out.replaceAll('import.meta.url', stockUrl).replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

/** The edited worker made by `npm run build`, beside the bundles in dist/ (scripts/build.mjs). */
export const BUILT_WORKER_FILE = 'pdf.worker.edited.mjs';

/** First line of the built file: which stock file it was made from, so a changed pdfjs-dist is never mixed with it. */
function stockStamp(): string {
  const version = (JSON.parse(readFileSync(join(dirname(WORKER_FILE), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return `// evidence-binder: pdfjs-dist ${version} legacy/build/pdf.worker.mjs, ${statSync(WORKER_FILE).size} bytes, edited\n`;
}

/**
 * Writes the edited worker into `dir` for the build. Its location at run time is unknown here (an installed app,
 * another checkout), so the stock file is found from the built file itself. Returns false, writing nothing, when the
 * edits do not apply to this pdfjs-dist: the bundles then use the stock worker.
 */
export function writeBuiltWorker(dir: string): boolean {
  const resolveStock = [
    `import { createRequire as __ebCreateRequire } from 'node:module';`,
    `import { dirname as __ebDirname, join as __ebJoin } from 'node:path';`,
    `import { pathToFileURL as __ebPathToFileURL } from 'node:url';`,
    `const __ebStockUrl = __ebPathToFileURL(__ebJoin(__ebDirname(__ebCreateRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'legacy', 'build', 'pdf.worker.mjs')).href;`,
    '',
  ].join('\n');
  const source = editedWorkerSource(readFileSync(WORKER_FILE, 'utf8'), '__ebStockUrl');
  if (!source) return false;
  mkdirSync(dir, { recursive: true });
  writeAtomically(join(dir, BUILT_WORKER_FILE), stockStamp() + resolveStock + source);
  return true;
}

/** The built file beside this bundle, if there is one and it was made from the installed pdfjs-dist. */
function builtWorkerFile(): string | undefined {
  const file = join(dirname(fileURLToPath(import.meta.url)), BUILT_WORKER_FILE);
  if (!existsSync(file)) return undefined;
  const stamp = stockStamp();
  const head = Buffer.alloc(Buffer.byteLength(stamp));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('utf8') === stamp ? file : undefined;
}

/**
 * Makes pdf.js (which runs its "worker" in this thread under Node) use the edited worker code. Must run before the
 * first getDocument of the process: pdf.js picks its worker once. Resolves false when the stock worker is used.
 */
export function installPdfjsWorker(): Promise<boolean> {
  installing ??= (async () => {
    const global = globalThis as PdfjsGlobal;
    // The stock worker on request: the import benchmark measures both in one run.
    if (global.pdfjsWorker || process.env.EVIDENCE_BINDER_PDFJS_STOCK === '1') return false;
    try {
      // Made at build time (dist/); in a checkout or tests, edited now into a private temp folder, once per version.
      const file = builtWorkerFile() ?? editedWorkerFile();
      if (!existsSync(file)) {
        const source = editedWorkerSource(readFileSync(WORKER_FILE, 'utf8'));
        if (!source) return false;
        writeAtomically(file, source);
      }
      const module = (await import(pathToFileURL(file).href)) as WorkerModule;
      global.pdfjsWorker = { WorkerMessageHandler: module.WorkerMessageHandler };
      return true;
    } catch {
      // No writable temp folder, or the copy would not load: the stock worker reads the same, only slower.
      return false;
    }
  })();
  return installing;
}
