// Vite build of the salesplan web app. The output in dist/ is embedded into
// the salesplan binary (CMakeLists.txt, cmake/embed.cmake), whose static
// handler serves files by base name only: so every asset is emitted flat
// (assetsDir '') with relative URLs (base './'), and no inline script is
// produced (the server's CSP is default-src 'self').
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  base: './',
  plugins: [vue()],
  resolve: {
    // frappe-gantt's package.json exports its stylesheet only under the
    // "style" condition, which Vite's CSS @import does not apply: name the
    // file directly.
    alias: [{ find: /^frappe-gantt\.css$/, replacement: fileURLToPath(new URL('./node_modules/frappe-gantt/dist/frappe-gantt.css', import.meta.url)) }],
  },
  build: {
    outDir: 'dist',
    assetsDir: '',
    emptyOutDir: true,
    sourcemap: false,
    // Inline data: URLs would need a wider CSP (img-src/font-src data:);
    // keep every asset a file of its own.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against `salesplan serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})
