// Builds the web app when dist/web is missing or older than its sources, so that
// `npm install && npm start` serves the app without a separate build step.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const index = path.join(root, 'dist/web/index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

if (!fs.existsSync(path.join(root, 'node_modules/vite'))) process.exit(0);
const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'src/web')), newest(path.join(root, 'src/contracts')));
if (built < sources) {
  process.stdout.write('Building the web app…\n');
  execSync('npx vite build --logLevel warn', { cwd: root, stdio: 'inherit' });
}
