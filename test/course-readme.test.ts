// The course README's map and commands stay true: every project is on the map, every link
// on it resolves, and every npm script it names exists.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './kit/index.ts';
import { courseProjects } from './readme.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);

describe('the course README', () => {
  it.each(courseProjects().map((p) => [p.id, p] as const))('puts %s on the course map at its level', (id, project) => {
    const row = readme.split('\n').find((line) => line.includes(`](projects/${id}/README.md)`));
    expect(row, `a map row linking projects/${id}/README.md`).toBeDefined();
    expect(row!.startsWith(`| ${project.manifest.level} |`)).toBe(true);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !l.startsWith('http'));
    expect(links.filter((l) => !existsSync(join(REPO_ROOT, l)))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/`npm (?:run )?([a-z:]+)/g)].map((m) => m[1]!).filter((s) => !['install', 'test', 'start'].includes(s));
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });
});
