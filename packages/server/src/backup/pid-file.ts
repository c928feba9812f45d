/**
 * The mark a running server leaves in its PGlite data folder: a file holding its process id, so
 * `backup` and `restore` refuse a folder that a server has open (PGlite is one process's
 * database: a second process opening it while the first writes can damage it). A mark left by
 * a killed server names a process that is gone, and is ignored.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file's name inside the data folder. */
export const PID_FILE = 'consult-kit-server.pid';

/** Marks the folder as open by this process. */
export function writePidFile(dataDir: string): void {
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
}

/** Removes the mark (when it is this process's, or always with `any`). */
export function removePidFile(dataDir: string, any = false): void {
  const file = join(dataDir, PID_FILE);
  try {
    if (any || Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true });
  } catch {
    // no mark
  }
}

/** The id of a live process that marked the folder, if any (not this process). */
export function serverRunningOn(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
