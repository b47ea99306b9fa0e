// Child processes for the tools: git, vitest and the projects' CLIs, with a time limit that
// takes the whole process tree down (vitest's workers too).
import { spawn, spawnSync } from 'node:child_process';

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Run a command to the end, collecting its output; a signal death reads as 128 + number, as a shell shows it. */
export function run(command: string, args: string[], opts: RunOptions): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const windows = process.platform === 'win32';
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so a timeout can end vitest's workers with it
      detached: !windows,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killTree(child.pid);
          }, opts.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const signalCode = signal === 'SIGKILL' ? 137 : signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1;
      resolvePromise({ code: code ?? signalCode, stdout, stderr, timedOut });
    });
  });
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The parent's environment without what a surrounding vitest run sets, so a nested run starts clean. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^VITEST/.test(key) || key === 'TEST' || key === 'NODE_ENV' || key === 'COURSE_EXERCISES' || key === 'NODE_V8_COVERAGE') continue;
    env[key] = value;
  }
  env.FORCE_COLOR = '0';
  env.NO_COLOR = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Run `tasks` with at most `jobs` at a time, keeping their order in the results. */
export async function pool<T>(tasks: Array<() => Promise<T>>, jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return results;
}
