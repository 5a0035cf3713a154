// The entry: the stylesheets (render-blocking, in index.html) and, once the browser has painted the
// shell index.html draws, the app itself. Its files are already downloading (index.html preloads them,
// vite.config.ts): waiting a frame costs nothing but lets the shell show before the app's code runs.
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
// The theme's CSS variables (readable shades), computed when the app is built: vite.config.ts.
import 'virtual:tandem-theme.css';
import './app.css';

/**
 * The app's code runs module by module when first imported. Imported in stages, a task each (React,
 * the theme and the UI library's core, the router library, the frame, the route table, then the rest
 * of the app), its start-up is several shorter tasks instead of one long one that holds up a phone's
 * main thread (docs/performance.md, "Lighthouse"). The files are the same: each stage is part of the
 * files index.html already preloads.
 */
const stages = [
  () => import('react-dom/client'),
  () => import('./theme'),
  () => import('@tanstack/react-router').then(({ createRouter }) => createRouter),
  () => import('./ui/AppLayout'),
  () => import('./router'),
];
const nextTask = () => new Promise((resolve) => setTimeout(resolve));
async function load() {
  for (const stage of stages) {
    await stage().catch(() => undefined);
    await nextTask();
  }
  await import('./app');
}
requestAnimationFrame(() => setTimeout(() => void load()));
