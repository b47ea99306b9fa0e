// Patches are `git diff`s from the repository root; `git apply` puts them on a tree, a real
// clone or a scratch copy (where it works like `patch`, with no repository needed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ApplyResult {
  ok: boolean;
  /** git's complaint, one line, when it did not apply */
  message: string;
  /** it applied only with one line of context instead of three (the code around it moved) */
  fuzzy: boolean;
}

export interface ApplyOptions {
  /** the tree's root: where the patch paths start */
  cwd: string;
  reverse?: boolean;
  /** only say whether it would apply */
  check?: boolean;
  /** a scratch copy: never look for a repository above it */
  scratch?: boolean;
  /** accept a patch whose surrounding lines moved or changed a little (-C1) */
  allowFuzz?: boolean;
}

function gitApply(patchPath: string, opts: ApplyOptions, extra: string[]): { ok: boolean; message: string } {
  const args = ['apply', '--whitespace=nowarn', ...extra, ...(opts.reverse ? ['-R'] : []), ...(opts.check ? ['--check'] : []), patchPath];
  try {
    execFileSync('git', args, {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.scratch ? { ...process.env, GIT_CEILING_DIRECTORIES: dirname(opts.cwd) } : process.env,
    });
    return { ok: true, message: '' };
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message);
    const lines = stderr.split('\n').map((l) => l.replace(/^error:\s*/, '').trim()).filter(Boolean);
    return { ok: false, message: lines.join('; ') || 'git apply failed' };
  }
}

export function applyPatch(patchPath: string, opts: ApplyOptions): ApplyResult {
  const exact = gitApply(patchPath, opts, []);
  if (exact.ok || !opts.allowFuzz) return { ...exact, fuzzy: false };
  const fuzzy = gitApply(patchPath, opts, ['-C1']);
  return fuzzy.ok ? { ok: true, message: '', fuzzy: true } : { ok: false, message: exact.message, fuzzy: false };
}

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync('git', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(cwd), ...env },
  });

const show = (cwd: string, spec: string, env: NodeJS.ProcessEnv = {}): Buffer | undefined => {
  try {
    return git(cwd, ['show', spec], env);
  } catch {
    return undefined;
  }
};

/**
 * Apply several patches made each against the same baseline (the scratch repository's HEAD),
 * as a learner who did every exercise would have them all. A patch that no longer applies
 * because an earlier one changed the lines around it is merged file by file against the
 * baseline, keeping both sides where both add lines at the same place (git merge-file --union):
 * what two independent features, each adding a flag, look like together.
 */
export function applyPatchesTogether(cwd: string, patchPaths: string[]): { ok: boolean; message: string } {
  for (const patchPath of patchPaths) {
    if (applyPatch(patchPath, { cwd, scratch: true }).ok) continue;
    const index = join(cwd, '.git', `merge-index-${process.pid}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      git(cwd, ['read-tree', 'HEAD'], env);
      git(cwd, ['apply', '--cached', '--whitespace=nowarn', patchPath], env);
      const changed = git(cwd, ['diff', '--cached', '--name-only', '-z', 'HEAD'], env).toString('utf8').split('\0').filter(Boolean);
      for (const rel of changed) {
        const target = join(cwd, rel);
        const base = show(cwd, `HEAD:${rel}`);
        const theirs = show(cwd, `:${rel}`, env);
        const ours = existsSync(target) ? readFileSync(target) : undefined;
        if (theirs === undefined) {
          if (ours !== undefined && base !== undefined && ours.equals(base)) rmSync(target);
          continue;
        }
        if (ours === undefined || (base !== undefined && ours.equals(base))) {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, theirs);
          continue;
        }
        const tmp = mkdtempSync(join(tmpdir(), 'crash-course-merge-'));
        try {
          writeFileSync(join(tmp, 'base'), base ?? '');
          writeFileSync(join(tmp, 'theirs'), theirs);
          writeFileSync(join(tmp, 'ours'), ours);
          let merged: Buffer;
          try {
            merged = git(tmp, ['merge-file', '--union', '-p', 'ours', 'base', 'theirs']);
          } catch (error) {
            merged = (error as { stdout: Buffer }).stdout;
          }
          writeFileSync(target, merged);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
      return { ok: false, message: `${patchPath}: ${stderr.split('\n')[0]}` };
    } finally {
      rmSync(index, { force: true });
    }
  }
  return { ok: true, message: '' };
}

/**
 * Put a break onto code that may have moved on from the baseline it was made against (a
 * learner's exercises): exactly, then with one line of context instead of three. (A three-way
 * merge gains nothing here: it conflicts wherever one line of context fails to match.)
 */
export function applyToChangedTree(patchPath: string, cwd: string): ApplyResult {
  return applyPatch(patchPath, { cwd, scratch: true, allowFuzz: true });
}
