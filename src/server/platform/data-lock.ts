import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from '../config.js';

/**
 * The embedded database is one process's: PGlite keeps its state in that process's memory, so a
 * second process writing the same folder would lose writes (or corrupt the folder). A lock file
 * (`tandem.lock`: pid, host, what holds it) is created exclusively when the folder is opened and
 * removed when it is closed. A lock left by a process that no longer runs (kill -9, power loss) is
 * stale and taken over: liveness is checked with signal 0 on the recorded pid.
 */
export class DataDirLockedError extends StartupError {}

interface LockInfo {
  pid: number;
  host: string;
  role: string;
  since: string;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** What a process opening the data folder is, for the message another process shows. */
export const processRole = () => (process.argv.some((a) => /[\\/]cli[\\/]tandem\.ts$|[\\/]bin[\\/]tandem\.mjs$/.test(a)) && !process.argv.includes('serve') ? 'command' : 'server');

export function lockDataDir(dataDir: string, role = processRole()): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'tandem.lock');
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), role, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let held: LockInfo | undefined;
    try {
      held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      held = undefined; // unreadable or half-written: treat as stale
    }
    if (held && held.pid !== process.pid && held.host === os.hostname() && isAlive(held.pid)) {
      const who = held.role === 'server' ? `a running Tandem server (pid ${held.pid}, since ${held.since})` : `another tandem command (pid ${held.pid}, since ${held.since})`;
      throw new DataDirLockedError(
        `The data folder ${dataDir} is in use by ${who}. The embedded database takes one process at a time: ` +
          (held.role === 'server'
            ? 'stop that server first, or send the work to it — POS files with POST /api/pos/batches (or the import page), other changes through the web app or the API.'
            : 'wait for that command to finish, or stop it.'),
      );
    }
    if (held && held.host !== os.hostname() && held.pid !== process.pid) {
      throw new DataDirLockedError(`The data folder ${dataDir} is locked by a process on ${held.host} (pid ${held.pid}). If that process is gone, delete ${file}.`);
    }
    // Stale: its process is gone.
    fs.rmSync(file, { force: true });
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}; another process keeps taking it.`);
}
