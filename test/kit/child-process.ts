// Real processes on the real disk, for what memfs cannot show: SIGKILL, SIGINT, two runs at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface Scratch {
  /** the copied project folder: run the tool here */
  dir: string;
  remove(): void;
}

/**
 * Copy a project folder (its sources and sample data, not what earlier runs wrote) into a
 * temp dir, with the repo's node_modules linked beside it so `tsx` and `yargs` resolve.
 */
export function scratchProject(projectDir: string): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'crash-course-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n'); // as the repo's: .ts files are ES modules
  const dir = join(root, 'project');
  const source = resolve(REPO_ROOT, projectDir);
  cpSync(source, dir, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(source.length + 1);
      // data/ keeps only what is committed: the sample inputs and their README
      if (rel.startsWith('data/') || rel.startsWith(`data\\`)) return /^data[/\\](sample|README)/.test(rel);
      return !rel.startsWith('node_modules');
    },
  });
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface CliResult {
  /** the exit code, with a signal death reported as 128 + signal number, as a shell does */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  args: string[];
  /** the entry file, relative to cwd (default project.ts) */
  entry?: string;
  env?: Record<string, string>;
  /**
   * Send this signal once stderr matches `when` (or once the process starts, without it),
   * `afterMs` later (default at once).
   */
  signal?: { name: NodeJS.Signals; when?: RegExp; afterMs?: number };
  timeoutMs?: number;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Start the CLI with tsx (as `npx tsx project.ts` does) and wait for it. */
export function startCli(opts: CliOptions): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry ?? 'project.ts', ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let armed = false;
  const arm = () => {
    if (!opts.signal || armed) return;
    armed = true;
    const signal = opts.signal.name;
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill(signal), opts.signal.afterMs ?? 0).unref();
  };
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    if (opts.signal?.when?.test(stderr)) arm();
  });
  if (opts.signal && !opts.signal.when) child.once('spawn', arm);
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${opts.timeoutMs ?? 20_000} ms: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 128 + (SIGNAL_NUMBERS[signal!] ?? 0), signal, stdout, stderr });
    });
  });
  return { child, done };
}

export function runCli(opts: CliOptions): Promise<CliResult> {
  return startCli(opts).done;
}

/** Files in a folder, for checking what a run left behind. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}
