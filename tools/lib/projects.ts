// Every course project is found from its project.json: adding a level needs no change here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** One entry of project.json `dataBreaks` (docs/contributing.md). */
export interface DataBreak {
  name: string;
  description: string;
  /** bytes to write, at a path relative to the project folder */
  write?: { path: string; content: string };
  /** argument arrays to run the tool with first (e.g. a run with --simulate-crash) */
  prepare?: string[][];
  /** what the project's `run` command then does */
  expect: { code: number; message: string };
}

export interface Manifest {
  id: string;
  title: string;
  level: number;
  focus: string;
  seed?: string;
  run: string[];
  artifacts: string[];
  checkpoint: string;
  dataBreaks?: DataBreak[];
}

export interface Project {
  /** "level-4/05-checkpoint-recovery-tool": the vitest project name too */
  id: string;
  /** "projects/level-4/05-checkpoint-recovery-tool", with forward slashes */
  rel: string;
  /** absolute folder */
  dir: string;
  /** "05" */
  number: string;
  manifest: Manifest;
}

/** A refusal with a one-line message: exit 2 for a name that does not exist, 1 otherwise. */
export class CourseError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** The projects of the course under `root`, by level then folder name. */
export function discoverProjects(root: string = REPO_ROOT): Project[] {
  const projectsDir = join(root, 'projects');
  if (!existsSync(projectsDir)) return [];
  const levels = readdirSync(projectsDir)
    .filter((d) => /^level-\d+$/.test(d))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  const found: Project[] = [];
  for (const level of levels) {
    for (const folder of readdirSync(join(projectsDir, level)).sort()) {
      const dir = join(projectsDir, level, folder);
      const manifestPath = join(dir, 'project.json');
      if (!existsSync(manifestPath)) continue;
      const id = `${level}/${folder}`;
      found.push({ id, rel: `projects/${id}`, dir, number: folder.split('-')[0]!, manifest: readManifest(manifestPath, id) });
    }
  }
  return found;
}

function readManifest(path: string, id: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new CourseError(`${path} is not valid JSON (${(error as Error).message}); fix the manifest`);
  }
  if (manifest.id !== id) throw new CourseError(`${path} has id "${manifest.id}" but lives in projects/${id}; make them the same`);
  if (!Array.isArray(manifest.run)) throw new CourseError(`${path} has no "run" argument list`);
  return manifest;
}

/**
 * Find a project by any name a learner would type: `level-4`, `05`, the id, the folder name,
 * the slug, or the folder path (relative or absolute, either slash).
 */
export function resolveProject(projects: Project[], name: string, root: string = REPO_ROOT): Project {
  const wanted = name.trim().replace(/\\/g, '/').replace(/\/+$/, '');
  const asPath = isAbsolute(name) ? relative(root, name).replace(/\\/g, '/') : wanted.replace(/^\.\//, '');
  const matches = projects.filter((p) => {
    const folder = basename(p.dir);
    return (
      p.id === wanted ||
      p.rel === asPath ||
      folder === wanted ||
      folder.slice(p.number.length + 1) === wanted ||
      p.number === wanted ||
      `level-${p.manifest.level}` === wanted
    );
  });
  const choices = projects.map((p) => `level-${p.manifest.level} (${p.id})`).join(', ');
  if (matches.length === 0) {
    throw new CourseError(`No project "${name}"; choose one of: ${choices || '(no projects yet)'}`);
  }
  if (matches.length > 1) {
    throw new CourseError(`"${name}" names ${matches.length} projects (${matches.map((p) => p.id).join(', ')}); give the folder name`);
  }
  return matches[0]!;
}

/** Resolve a list of names, or every project when there is none. */
export function selectProjects(names: string[], root: string = REPO_ROOT): Project[] {
  const projects = discoverProjects(root);
  if (names.length === 0) return projects;
  const chosen = names.map((n) => resolveProject(projects, n, root));
  return projects.filter((p) => chosen.includes(p));
}
