// What `course break` has done and how to undo it, kept in .course/ at the repository root.
// The folder ignores itself (its own .gitignore says `*`), so `git status` never shows it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_DIR = '.course';

export interface CodeBreakRecord {
  name: string;
  /** the patch as applied, so --undo reverses exactly that */
  patch: string;
}

export interface DataBreakRecord {
  name: string;
  /** the folder under .course/ holding what was there before */
  snapshot: string;
}

export interface ProjectState {
  code: CodeBreakRecord[];
  data?: DataBreakRecord;
}

export interface BreakState {
  version: 1;
  projects: Record<string, ProjectState>;
}

export function stateDir(root: string): string {
  const dir = join(root, STATE_DIR);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '# state of `npm run course -- break`: never committed\n*\n');
  }
  return dir;
}

export function readState(root: string): BreakState {
  const path = join(root, STATE_DIR, 'state.json');
  if (!existsSync(path)) return { version: 1, projects: {} };
  return JSON.parse(readFileSync(path, 'utf8')) as BreakState;
}

export function writeState(root: string, state: BreakState): void {
  for (const [id, p] of Object.entries(state.projects)) {
    if (p.code.length === 0 && !p.data) delete state.projects[id];
  }
  const path = join(stateDir(root), 'state.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function projectState(state: BreakState, id: string): ProjectState {
  state.projects[id] ??= { code: [] };
  return state.projects[id];
}
