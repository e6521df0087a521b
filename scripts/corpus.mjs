#!/usr/bin/env node
// Prepares a local corpus of real-world files nobody on this project wrote — PDF test suites of PDF libraries
// (broken xrefs, JBIG2, fuzzed streams, odd fonts), Office test data of Office libraries, EXIF samples — for an
// import run under `/usr/bin/time -f %M` (issue 8). Nothing here is committed: the corpus is large and its licences
// vary. A handful of small samples with their licences lives in tests/fixtures/realworld/.
//
// The sources are git snapshots of public repositories (bare git directories, e.g. /work/.mirror/<owner>+<name>/repo
// as brought by the team's fetch tool, or any `git clone --bare`). No network is used by this script.
//
//   node scripts/corpus.mjs <out-dir> [--mirror DIR] [--max-mb N] [--per-source N]
//
// Then:  npx binder init /tmp/ws --template east-west-2017
//        /usr/bin/time -f %M npx binder import /tmp/ws <out-dir> --json > report.json
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Which files of which repository; `under` limits to a folder. Every listed source is optional. */
const SOURCES = [
  { repo: 'mozilla+pdf.js', under: 'test/pdfs/', ext: ['pdf'], why: 'pdf.js regression suite: broken, fuzzed, JBIG2, CJK fonts' },
  { repo: 'py-pdf+sample-files', ext: ['pdf', 'odt', 'jpg', 'png', 'tif', 'tiff'], why: 'pypdf samples: encrypted, odd encodings, annotations' },
  { repo: 'python-openxml+python-docx', ext: ['docx', 'jpg', 'jpeg', 'png', 'tif', 'bmp', 'gif'], why: 'python-docx test files' },
  { repo: 'tafia+calamine', ext: ['xlsx', 'xls', 'ods', 'xlsb'], why: 'calamine spreadsheet test data (incl. broken and password ones)' },
  { repo: 'ianare+exif-samples', ext: ['jpg', 'jpeg', 'tif', 'tiff', 'heic'], why: 'EXIF samples from many cameras' },
  { repo: 'apache+poi', under: 'test-data/', ext: ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'], why: 'Apache POI test data' },
];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const out = process.argv[2];
if (!out || out.startsWith('--')) {
  console.error('用法：node scripts/corpus.mjs <输出文件夹> [--mirror DIR] [--max-mb N] [--per-source N]');
  process.exit(2);
}
const mirror = option('mirror', '/work/.mirror');
const maxBytes = Number(option('max-mb', '40')) * 1024 * 1024;
const perSource = Number(option('per-source', '100000'));

function gitDir(repo) {
  for (const candidate of [path.join(mirror, repo, 'repo'), path.join(mirror, repo), path.join(mirror, `${repo}.git`)]) {
    if (existsSync(path.join(candidate, 'HEAD')) || existsSync(path.join(candidate, '.git'))) return candidate;
  }
  return undefined;
}

function git(dir, args, options = {}) {
  return execFileSync('git', ['--git-dir', existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : dir, ...args], { maxBuffer: 1 << 30, ...options });
}

mkdirSync(out, { recursive: true });
const summary = [];
for (const source of SOURCES) {
  const dir = gitDir(source.repo);
  if (!dir) {
    summary.push(`${source.repo}: not in ${mirror}, skipped`);
    continue;
  }
  // -l gives sizes, so big files are skipped without reading them.
  const listing = git(dir, ['ls-tree', '-r', '-l', 'HEAD', ...(source.under ? ['--', source.under] : [])]).toString('utf8');
  let taken = 0;
  let skipped = 0;
  const target = path.join(out, source.repo);
  mkdirSync(target, { recursive: true });
  for (const line of listing.split('\n')) {
    const m = /^\d+ blob ([0-9a-f]+)\s+(\d+|-)\t(.+)$/.exec(line);
    if (!m) continue;
    const [, blob, size, file] = m;
    const ext = path.extname(file).slice(1).toLowerCase();
    if (!source.ext.includes(ext)) continue;
    if (Number(size) > maxBytes || taken >= perSource) {
      skipped++;
      continue;
    }
    const bytes = git(dir, ['cat-file', 'blob', blob]);
    // Large files stored as Git LFS pointers are not the file itself.
    if (bytes.subarray(0, 40).toString('latin1').startsWith('version https://git-lfs')) {
      skipped++;
      continue;
    }
    // Flat names keep the original folder in them (a/b/c.pdf → a__b__c.pdf): distinct and traceable.
    writeFileSync(path.join(target, file.split('/').join('__')), bytes);
    taken++;
  }
  summary.push(`${source.repo} (${git(dir, ['rev-parse', '--short', 'HEAD']).toString().trim()}): ${taken} files, ${skipped} skipped — ${source.why}`);
}
const total = readdirSync(out, { recursive: true }).length;
console.log(summary.join('\n'));
console.log(`${out}: ${total} entries`);
