// The entry: the stylesheets (render-blocking, in index.html) and, once the browser has painted the
// shell index.html draws, the app itself. Its files are already downloading (index.html preloads them,
// vite.config.ts): waiting a frame costs nothing but lets the shell show before the app's code runs.
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';

requestAnimationFrame(() => setTimeout(() => void import('./app')));
