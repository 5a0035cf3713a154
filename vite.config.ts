import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const apiTarget = process.env.TANDEM_API ?? 'http://localhost:3000';

/**
 * The auth endpoints only accept requests whose Origin is the server's own (PUBLIC_URL);
 * in development the browser's origin is the Vite server, so present the API's origin instead.
 */
const sameOrigin = (proxy: { on: (event: 'proxyReq', fn: (req: { getHeader: (n: string) => unknown; setHeader: (n: string, v: string) => void }) => void) => void }) => {
  proxy.on('proxyReq', (req) => {
    if (req.getHeader('origin')) req.setHeader('origin', new URL(apiTarget).origin);
  });
};

/**
 * Writes a brotli (.br) and a gzip (.gz) twin beside every text asset of the build, so the server
 * sends compressed files without compressing on each request (@fastify/static preCompressed).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tandem-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: here('./src/web'),
  plugins: [react(), precompress()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    // index.html is served with no-cache and everything under /assets is content-hashed and
    // cached for a year (src/server/platform/web.ts); the brotli/gzip twins are served as they are.
    rolldownOptions: {
      output: {
        // Pages load on demand (router.tsx). What the first page needs is one chunk (plus React and
        // the router, which change least); the rest of the UI library is one chunk every signed-in
        // page shares; charts (recharts, d3) load only with a chart.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack)[\\/]/ },
            { name: 'app', tags: ['$initial'] },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // A pattern, not the '/api' prefix: that would also catch the app's own /api.ts module.
      '^/api/': { target: apiTarget, changeOrigin: false, configure: sameOrigin },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
});
