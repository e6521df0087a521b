import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from a file/app protocol (Electron) or the local browser host: relative asset paths,
// no remote resources, no inline scripts (CSP: script-src 'self').
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
