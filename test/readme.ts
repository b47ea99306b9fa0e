// Reading an exercise page: its headings, its "Run (copy/paste)" commands and its
// "Expected terminal output", so tests can hold the page to the code.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kit/index.ts';

export const HEADINGS = [
  'Learn Your Way',
  'Focus',
  'Why this project exists',
  'Run (copy/paste)',
  'Expected terminal output',
  'Expected artifacts',
  'Alter it',
  'Break it',
  'Fix it',
  'Explain it (teach-back)',
  'Mastery check',
  'Related concepts',
];

export interface CourseProject {
  id: string;
  dir: string;
  manifest: Record<string, unknown>;
  readme: string;
}

export function courseProjects(): CourseProject[] {
  const root = join(REPO_ROOT, 'projects');
  const out: CourseProject[] = [];
  for (const level of readdirSync(root).filter((d) => d.startsWith('level-')).sort()) {
    for (const name of readdirSync(join(root, level)).sort()) {
      const dir = join(root, level, name);
      if (!existsSync(join(dir, 'project.json'))) continue;
      out.push({
        id: `${level}/${name}`,
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')),
        readme: existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '',
      });
    }
  }
  return out;
}

/** The text under a `## heading`, up to the next `## `. */
export function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start === -1) return '';
  const rest = readme.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The body of the first fenced block of this language in a section. */
export function fence(text: string, lang: string): string | undefined {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(text);
  return m?.[1];
}

export interface ExpectedCommand {
  command: string;
  exitCode: number;
  output: string;
}

/** `$ command  # exit N` lines and what follows each, up to the next `$ `. */
export function expectedCommands(console: string): ExpectedCommand[] {
  const out: ExpectedCommand[] = [];
  for (const line of console.split('\n')) {
    if (line.startsWith('$ ')) {
      const m = /^\$ (.*?)(?:\s+# exit (\d+))?$/.exec(line)!;
      out.push({ command: m[1]!, exitCode: m[2] ? Number(m[2]) : 0, output: '' });
    } else if (out.length) {
      out.at(-1)!.output += `${line}\n`;
    }
  }
  return out;
}

/** What changes from run to run, masked the same way in the page and in the real output. */
export function mask(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>')
    .replace(/pid \d+/g, 'pid <pid>')
    .replace(/\s+$/, '\n');
}
