// Scratch copies of the repository: the grader and the patch checks never touch the learner's
// working tree. A copy holds the working tree as it stands (committed or not, git-ignored
// files left out) with the repository's node_modules linked in, never copied.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Scratch {
  /** the copy's root: the repository layout, ready for vitest */
  dir: string;
  remove(): void;
}

/** What the tools write that is not part of the course, for a tree that is not a git clone. */
const IGNORED_TOP = new Set(['node_modules', '.git', '.course', 'reports', 'coverage', 'site']);

/**
 * The files of the working tree, relative to `root` with forward slashes: what git tracks or
 * would track (untracked but not ignored), less what was deleted.
 */
export function workingTreeFiles(root: string): string[] {
  if (existsSync(join(root, '.git'))) {
    try {
      const out = execFileSync('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const files = [...new Set(out.split('\0').filter(Boolean))];
      return files.filter((f) => isFile(join(root, f))).sort();
    } catch {
      // no usable git: walk the folder instead
    }
  }
  return walk(root, '').sort();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function walk(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (!rel && IGNORED_TOP.has(entry.name)) continue;
    // what the README commands write inside a project's data folder (mirrors .gitignore)
    if (/^projects\/[^/]+\/[^/]+\/data\//.test(path) && !/\/data\/(sample|README\.md$)/.test(path)) continue;
    if (entry.isDirectory()) out.push(...walk(root, path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Which files a scratch copy gets. */
export type Scope = (rel: string) => boolean;

/** Root files, the test kit, and the given project folders: what one project's suite needs. */
export function projectScope(projectRels: string[]): Scope {
  return (rel) =>
    !rel.includes('/') || rel.startsWith('test/kit/') || projectRels.some((p) => rel.startsWith(`${p}/`));
}

export const wholeRepo: Scope = () => true;

export function makeScratch(root: string, scope: Scope, files: string[] = workingTreeFiles(root)): Scratch {
  // the real path (macOS's /var is /private/var), as vitest names the files it ran
  const dir = realpathSync.native(mkdtempSync(join(tmpdir(), 'crash-course-grade-')));
  for (const rel of files) {
    if (!scope(rel)) continue;
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(root, rel), target);
  }
  // a junction on Windows needs no admin rights; elsewhere the type is ignored
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return {
    dir,
    remove: () => {
      try {
        unlinkSync(join(dir, 'node_modules'));
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** The environment for git inside a scratch copy: never find a repository above it. */
export function scratchGitEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) };
}

/**
 * A scratch copy that is a git repository with the working tree committed, so a check can end
 * with `git status` clean (the repository's tests of the course CLI use it).
 */
export function makeGitScratch(root: string, scope: Scope = wholeRepo, files?: string[]): Scratch {
  const scratch = makeScratch(root, scope, files);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=course', '-c', 'user.email=course@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
      cwd: scratch.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: scratchGitEnv(scratch.dir),
    });
  git('init', '-q');
  // the linked node_modules is not a folder to git, so .gitignore's `node_modules/` misses it
  writeFileSync(join(scratch.dir, '.git', 'info', 'exclude'), '/node_modules\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'scratch copy');
  return scratch;
}
