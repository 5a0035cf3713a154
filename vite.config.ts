import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
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

export default defineConfig({
  root: here('./src/web'),
  plugins: [react()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks cache better.
        codeSplitting: {
          groups: [
            { name: 'charts', test: /node_modules[\\/](recharts|d3-|victory-vendor|@mantine[\\/]charts|decimal\.js|es-toolkit)/ },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
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
