import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { convertCssVariables, defaultCssVariablesResolver, DEFAULT_THEME, mergeMantineTheme, type ConvertCSSVariablesInput } from '@mantine/core';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { theme } from './src/web/theme';
import { cssVariablesResolver } from './src/web/theme-colors';

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

/**
 * The theme's CSS variables as a stylesheet made when the app is built (`import
 * 'virtual:tandem-theme.css'` in main.tsx), instead of MantineProvider computing them in the browser
 * and injecting a <style> after the page has started (app.tsx: withCssVariables={false}). The same
 * variables Mantine would write: its defaults for this theme merged with theme-colors.ts's readable
 * shades, less those Mantine's own stylesheet already sets. On a phone this removes the contrast
 * arithmetic and a style recalculation of the whole page from start-up (docs/performance.md).
 */
function themeVariablesCss() {
  const merged = mergeMantineTheme(DEFAULT_THEME, theme);
  const own = defaultCssVariablesResolver(merged);
  const extra = cssVariablesResolver(merged);
  const all: ConvertCSSVariablesInput = {
    variables: { ...own.variables, ...extra.variables },
    light: { ...own.light, ...extra.light },
    dark: { ...own.dark, ...extra.dark },
  };
  const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
  const changed = (part: keyof ConvertCSSVariablesInput) => Object.fromEntries(Object.entries(all[part]).filter(([k, v]) => defaults[part][k as `--${string}`] !== v));
  return convertCssVariables({ variables: changed('variables'), light: changed('light'), dark: changed('dark') });
}
function themeVariables(): Plugin {
  const id = 'virtual:tandem-theme.css';
  return {
    name: 'tandem-theme-variables',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (source) => (source === `\0${id}` ? themeVariablesCss() : undefined),
  };
}

/**
 * Two start-up costs of Mantine that this app does not need, taken out when it is built
 * (docs/decisions.md, "Mantine's start-up work"):
 * - `useId` (@mantine/hooks) gives every input, select, checkbox, menu and tooltip a React id on the
 *   first render and then, in a layout effect, a random one: each such component renders a second
 *   time synchronously, right after the page is inserted, and every label, description and ARIA
 *   reference is rewritten. Here React's id alone is used (unique in the app's one root, valid in CSS
 *   selectors), so the first render's ids stay.
 * - `remove-default-variables.mjs` computes all of Mantine's default CSS variables when the module
 *   loads, for a deduplication that only runs when MantineProvider writes the variables itself; this
 *   app builds them into a stylesheet instead (`themeVariables`), so they are computed on first use.
 */
function mantineStartup(): Plugin {
  const useIdFile = /[\\/]@mantine[\\/]hooks[\\/]esm[\\/]use-id[\\/]use-id\.mjs$/;
  const defaultsFile = /[\\/]@mantine[\\/]core[\\/]esm[\\/]core[\\/]MantineProvider[\\/]MantineCssVariables[\\/]remove-default-variables\.mjs$/;
  const eager = 'const defaultCssVariables = defaultCssVariablesResolver(DEFAULT_THEME);';
  const firstUse = 'function removeDefaultVariables(input) {';
  return {
    name: 'tandem-mantine-startup',
    enforce: 'pre',
    load(id) {
      if (!useIdFile.test(id)) return undefined;
      return [
        "import { useId as useReactId } from 'react';",
        'export function useId(staticId) {',
        '  const reactId = useReactId();',
        "  return typeof staticId === 'string' ? staticId : `mantine-${reactId.replace(/[^A-Za-z0-9_-]/g, '')}`;",
        '}',
      ].join('\n');
    },
    transform(code, id) {
      if (!defaultsFile.test(id)) return undefined;
      if (!code.includes(eager) || !code.includes(firstUse)) {
        this.warn('mantineStartup: remove-default-variables.mjs has changed; its default variables are computed when it loads');
        return undefined;
      }
      // Same lines as before, so the module's source map still holds.
      return { code: code.replace(eager, 'let defaultCssVariables;').replace(firstUse, `${firstUse} defaultCssVariables ??= defaultCssVariablesResolver(DEFAULT_THEME);`), map: null };
    },
  };
}

/**
 * The app's own modules that app.tsx imports, directly or not (filled in when the build has read every
 * module); the 'app' chunk group takes them and, with them, the library code they use.
 */
const appModules = new Set<string>();
function collectAppModules(): Plugin {
  return {
    name: 'tandem-app-modules',
    apply: 'build',
    buildEnd() {
      const start = [...this.getModuleIds()].find((id) => /[\\/]src[\\/]web[\\/]app\.tsx$/.test(id));
      const visit = (id: string) => {
        if (appModules.has(id) || id.includes('node_modules')) return;
        appModules.add(id);
        for (const next of this.getModuleInfo(id)?.importedIds ?? []) visit(next);
      };
      if (start) visit(start);
    },
  };
}

/**
 * index.html preloads the app's files (main.tsx imports them only once the shell has painted), so
 * they download alongside the page's stylesheet instead of after the entry has run. At low priority:
 * the stylesheet and the shell come first, the app right after.
 */
function preloadApp(): Plugin {
  return {
    name: 'tandem-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {};
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.moduleIds.some((id) => /[\\/]src[\\/]web[\\/]app\.tsx$/.test(id)));
        if (!app) throw new Error('preloadApp: no chunk holds src/web/app.tsx');
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          const chunk = bundle[file];
          if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
        };
        visit(app.fileName);
        const links = [...files].filter((f) => !html.includes(`/${f}"`)).map((f) => `<link rel="modulepreload" crossorigin fetchpriority="low" href="/${f}">`);
        // The page the address opens: its files too, so they download with the app's instead of
        // after the app has started and the router has asked for them (a round trip later).
        const pages: Record<string, string[]> = {};
        const routes = fs.readFileSync(here('./src/web/router.tsx'), 'utf8');
        for (const m of routes.matchAll(/path: '(\/[^'$]*)'[^\n]*?lazyRouteComponent\(\(\) => import\('\.\/(modules\/[^']+)'\)/g)) {
          const chunk = chunks.find((c) => c.isDynamicEntry && c.facadeModuleId && c.facadeModuleId.replace(/\\/g, '/').endsWith(`/src/web/${m[2]}.tsx`));
          if (!chunk) continue;
          const own = new Set<string>();
          const add = (file: string) => {
            if (files.has(file) || own.has(file)) return;
            own.add(file);
            const c = bundle[file];
            if (c?.type === 'chunk') c.imports.forEach(add);
          };
          add(chunk.fileName);
          pages[m[1]] = [...own];
        }
        if (!pages['/']) throw new Error('preloadApp: no page files found for "/" in router.tsx');
        // Each file named once, the pages by number: the table stays small in the HTML.
        const names = [...new Set(Object.values(pages).flat())];
        const byPath = Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.map((f) => names.indexOf(f))]));
        const script = `<script>(function(){var n=${JSON.stringify(names.map((f) => f.replace(/^assets\//, '').replace(/\.js$/, '')))},f=${JSON.stringify(byPath)}[location.pathname.replace(/\\/$/,'')||'/'];if(f)f.forEach(function(i){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href='/assets/'+n[i]+'.js';document.head.appendChild(l);});})();</script>`;
        return html.replace('</head>', `  ${links.join('\n    ')}\n    ${script}\n  </head>`);
      },
    },
  };
}

export default defineConfig({
  root: here('./src/web'),
  plugins: [react(), mantineStartup(), themeVariables(), collectAppModules(), preloadApp(), precompress()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    // index.html is served with no-cache and everything under /assets is content-hashed and
    // cached for a year (src/server/platform/web.ts); the brotli/gzip twins are served as they are.
    rolldownOptions: {
      preserveEntrySignatures: false,
      output: {
        // main.tsx (the entry) holds the stylesheets and loads the app after the first paint. The app
        // (app.tsx and all it imports: router, API client, theme, the frame and the UI library parts
        // they use) is one file, React and TanStack another; pages load on demand (router.tsx), zod and
        // the charting library only with a page that needs them. Small shared pieces are copied into
        // the pages that use them rather than fetched one by one: on a phone each file is a round trip
        // (docs/performance.md).
        codeSplitting: {
          experimentalInlineCommonChunks: { maxSize: 12_000 },
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack)[\\/]/, priority: 4 },
            // Vite's loader for on-demand files: main.tsx needs it to load the app, so not in the app's file.
            { name: 'preload', test: /preload-helper/, priority: 5 },
            // Everything the app needs to start (app.tsx and what it imports): one file.
            { name: 'app', test: (id: string) => appModules.has(id), priority: 3 },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 2.5 },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-[a-z-]+|@mantine[\\/]charts|victory-vendor|es-toolkit|@reduxjs|redux|react-redux|immer|reselect|decimal\.js-light)[\\/].*\.[cm]?js$/, priority: 1, includeDependenciesRecursively: false },
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
