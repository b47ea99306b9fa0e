// What a project's breaks/, exercises/ and solutions/ folders hold (docs/contributing.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from './projects.ts';

export interface Patch {
  /** file name without .patch: "02-checkpoint-before-output" */
  name: string;
  /** path relative to the repository root, forward slashes */
  rel: string;
  /** absolute path */
  path: string;
  /** the first line of the description, without its "Break: " or "Solution: " label */
  title: string;
  /** all the text before the first `diff --git` line */
  description: string;
  /** the files the patch changes, relative to the repository root */
  files: string[];
}

export interface Exercise {
  /** file name without .spec.ts: "01-progress-percentage" */
  name: string;
  /** path relative to the repository root */
  rel: string;
  /** path relative to the project folder: "exercises/01-progress-percentage.spec.ts" */
  local: string;
}

function listFiles(project: Project, folder: string, suffix: string): string[] {
  const dir = join(project.dir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).sort();
}

export function readPatch(project: Project, folder: 'breaks' | 'solutions', file: string): Patch {
  const path = join(project.dir, folder, file);
  const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  const start = text.search(/^diff --git /m);
  const description = (start < 0 ? text : text.slice(0, start)).trim();
  const firstLine = description.split('\n')[0] ?? '';
  const files = [...text.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]!);
  return {
    name: file.replace(/\.patch$/, ''),
    rel: `${project.rel}/${folder}/${file}`,
    path,
    title: firstLine.replace(/^(Break|Solution):\s*/i, ''),
    description,
    files,
  };
}

export function listBreaks(project: Project): Patch[] {
  return listFiles(project, 'breaks', '.patch').map((f) => readPatch(project, 'breaks', f));
}

export function listSolutions(project: Project): Patch[] {
  return listFiles(project, 'solutions', '.patch').map((f) => readPatch(project, 'solutions', f));
}

export function listExercises(project: Project): Exercise[] {
  return listFiles(project, 'exercises', '.spec.ts').map((f) => ({
    name: f.replace(/\.spec\.ts$/, ''),
    rel: `${project.rel}/exercises/${f}`,
    local: `exercises/${f}`,
  }));
}

/** A break by its file name, or by its number alone ("02"). */
export function findBreak(breaks: Patch[], name: string): Patch | undefined {
  return breaks.find((b) => b.name === name || b.name === name.replace(/\.patch$/, '')) ??
    (/^\d+$/.test(name) ? breaks.find((b) => b.name.split('-')[0] === name) : undefined);
}
