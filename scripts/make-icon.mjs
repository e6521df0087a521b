#!/usr/bin/env node
// Draws build/icon.png (512×512), the app icon electron-builder converts for Windows, macOS and Linux:
// a red binder spine with a white label and the character 汇 (汇编). Rerun after changing the design:
//   node scripts/make-icon.mjs
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'build', 'icon.png');

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="cover" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#c8102e"/>
      <stop offset="1" stop-color="#8e0b20"/>
    </linearGradient>
  </defs>
  <rect x="56" y="40" width="400" height="432" rx="36" fill="url(#cover)"/>
  <rect x="56" y="40" width="64" height="432" rx="24" fill="#6d0818"/>
  <circle cx="88" cy="120" r="12" fill="#f3d27a"/>
  <circle cx="88" cy="256" r="12" fill="#f3d27a"/>
  <circle cx="88" cy="392" r="12" fill="#f3d27a"/>
  <rect x="160" y="120" width="248" height="272" rx="16" fill="#ffffff"/>
  <text x="284" y="318" font-family="Noto Serif CJK SC, Noto Sans CJK SC, WenQuanYi Zen Hei, serif" font-size="190" font-weight="700" text-anchor="middle" fill="#8e0b20">汇</text>
</svg>`;

mkdirSync(path.dirname(out), { recursive: true });
await sharp(Buffer.from(svg)).resize(512, 512).png({ compressionLevel: 9 }).toFile(out);
const meta = await sharp(out).metadata();
console.log(`${out}: ${meta.width}×${meta.height}`);
