// The course site (mkdocs.yml, docs/): every project has its page in the nav showing its README,
// a diagram and its level's flashcards; every Learn Your Way link resolves, in the repository and
// in the built site; every internal link of the built site resolves; and the exit-code reference
// agrees with each project's own src/exit-codes.ts.
//
// The built-site checks run Debian's mkdocs (`apt-get install mkdocs mkdocs-material
// mkdocs-material-extensions`, as .ci/run does) and are skipped, with that reason in their
// name, only when /usr/bin/mkdocs is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './kit/index.ts';
import { courseProjects, section, type CourseProject } from './readme.ts';

const MKDOCS = '/usr/bin/mkdocs';
const HAS_MKDOCS = existsSync(MKDOCS);
const COURSE_CODES = [0, 1, 2, 65, 66, 73, 74, 75, 130, 137];
const projects = courseProjects().filter((p) => p.readme !== '');

const level = (p: CourseProject) => Number(p.manifest.level);
/** Paths inside docs/, as the READMEs link them (../../../docs/<path>) and the site builds them. */
const diagramOf = (p: CourseProject) => `diagrams/${p.id.replace('/', '-')}.md`;
const flashcardsOf = (p: CourseProject) => `flashcards/level-${level(p)}.md`;

interface Link {
  text: string;
  target: string;
}

function markdownLinks(text: string): Link[] {
  return [...text.matchAll(/\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ text: m[1]!, target: m[2]! }));
}

/** Text of an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
function decode(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&para;|¶/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** The Learn Your Way table as { read: cell, build: cell, ... }, in either layout (names across, or down). */
function learnYourWay(cellRows: string[][]): Record<string, string> {
  const rows = cellRows.filter((r) => r.length > 0);
  const key = (cell: string) => decode(cell).toLowerCase().replace(/[^a-z]/g, '');
  const header = (rows[0] ?? []).map(key);
  const out: Record<string, string> = {};
  if (header.includes('read') && header.includes('review')) {
    header.forEach((name, k) => (out[name] = rows[1]?.[k] ?? ''));
  } else {
    for (const row of rows) out[key(row[0] ?? '')] = row[1] ?? '';
  }
  return out;
}

function readmeTable(readme: string): Record<string, string> {
  const rows = section(readme, 'Learn Your Way')
    .split('\n')
    .filter((l) => l.trim().startsWith('|') && !/^\|[\s|:-]+\|$/.test(l.trim()))
    .map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
  return learnYourWay(rows);
}

/** Where a README link leads, relative to the repository root (no anchor). */
function fromReadme(p: CourseProject, target: string): string {
  return posix.normalize(posix.join(`projects/${p.id}`, target.split('#')[0]!));
}

describe.each(projects.map((p) => [p.id, p] as const))('%s in the docs', (_id, project) => {
  it('has a diagram of where a crash can land and what recovery does (docs/diagrams/)', () => {
    const path = join(REPO_ROOT, 'docs', diagramOf(project));
    expect(existsSync(path), `docs/${diagramOf(project)}`).toBe(true);
    const text = readFileSync(path, 'utf8');
    const diagrams = [...text.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(diagrams.length, 'mermaid diagrams on the page').toBeGreaterThan(0);
    expect(diagrams.join('\n').split('\n').length, 'lines of diagram').toBeGreaterThanOrEqual(8);
  });

  it("has flashcards for its level: questions, each folded over its answer (docs/flashcards/)", () => {
    const path = join(REPO_ROOT, 'docs', flashcardsOf(project));
    expect(existsSync(path), `docs/${flashcardsOf(project)}`).toBe(true);
    const lines = readFileSync(path, 'utf8').split('\n');
    const cards = lines.flatMap((l, k) => (/^\?\?\? question "[^"]+"$/.test(l) ? [k] : []));
    expect(cards.length, 'cards (??? question "...")').toBeGreaterThanOrEqual(6);
    const empty = cards.filter((k) => !/^ {4}\S/.test(lines[k + 1] ?? ''));
    expect(empty.map((k) => lines[k]), 'cards with no indented answer under them').toEqual([]);
  });

  it('has Learn Your Way links that resolve in the repository: Read to a concept, Review to its flashcards, Visualize to its diagram', () => {
    const table = readmeTable(project.readme);
    const broken = Object.values(table)
      .flatMap((cell) => markdownLinks(cell))
      .filter((l) => !isExternal(l.target) && !l.target.startsWith('#'))
      .filter((l) => !existsSync(join(REPO_ROOT, fromReadme(project, l.target))))
      .map((l) => `${l.text} -> ${l.target}`);
    expect(broken, 'links to files that do not exist').toEqual([]);
    const target = (key: string) => markdownLinks(table[key] ?? '').map((l) => fromReadme(project, l.target))[0];
    expect(target('read'), 'Read').toMatch(/^docs\/concepts\/[a-z0-9-]+\.md$/);
    expect(target('review'), 'Review').toBe(`docs/${flashcardsOf(project)}`);
    expect(target('visualize'), 'Visualize').toBe(`docs/${diagramOf(project)}`);
  });
});

// ---------------------------------------------------------------------------------------------
// The built site

const site = { dir: '', build: { status: -1 as number | null, output: '' } };

/** The file a site URL path (relative to the site root) is served from. */
function siteFile(urlPath: string): string {
  const clean = decodeURIComponent(urlPath.split('#')[0]!.split('?')[0]!);
  const full = join(site.dir, clean);
  return clean === '' || clean.endsWith('/') ? join(full, 'index.html') : full;
}

function htmlPages(dir = site.dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlPages(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}


/** The article (page content) of a built page. */
function article(html: string): string {
  const start = html.indexOf('<article');
  return start === -1 ? '' : html.slice(start, html.indexOf('</article>', start));
}

function headings(html: string, tag: 'h1' | 'h2'): string[] {
  return [...article(html).matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => decode(m[1]!));
}

/** Resolve an href found on the page at `pagePath` (site-relative, e.g. "projects/level-4/x/index.html"). */
function resolveHref(pagePath: string, href: string): string {
  const path = href.split('#')[0]!.split('?')[0]!;
  return path.startsWith('/') ? posix.normalize(path.slice(1)) : posix.normalize(posix.join(posix.dirname(pagePath), path));
}

function pageUrl(p: CourseProject): string {
  return `projects/${p.id}/`;
}

describe.skipIf(!HAS_MKDOCS)(
  HAS_MKDOCS ? 'the built site (mkdocs build --strict)' : 'the built site: SKIPPED, /usr/bin/mkdocs is not installed (apt-get install -y mkdocs mkdocs-material mkdocs-material-extensions)',
  () => {
    beforeAll(() => {
      site.dir = mkdtempSync(join(tmpdir(), 'crash-course-site-'));
      const result = spawnSync(MKDOCS, ['build', '--strict', '--site-dir', site.dir], { cwd: REPO_ROOT, encoding: 'utf8' });
      site.build = { status: result.status, output: `${result.stdout}${result.stderr}` };
    });
    afterAll(() => {
      if (site.dir) rmSync(site.dir, { recursive: true, force: true });
    });

    it('builds with no warning under mkdocs build --strict', () => {
      const warnings = site.build.output.split('\n').filter((l) => /WARNING|ERROR|Aborted/.test(l));
      expect(warnings).toEqual([]);
      expect(site.build.status).toBe(0);
    });

    it.each(projects.map((p) => [p.id, p] as const))('has %s in the nav, its page showing its README', (_id, project) => {
      const home = readFileSync(siteFile(''), 'utf8');
      expect(home, 'a nav link from the home page').toContain(`href="${pageUrl(project)}"`);
      const html = readFileSync(siteFile(pageUrl(project)), 'utf8');
      const title = /^# (.+)$/m.exec(project.readme)?.[1];
      expect(headings(html, 'h1')).toEqual([decode(title ?? '').replace(/`/g, '')]);
      const readmeH2 = [...project.readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/`/g, '').trim());
      expect(headings(html, 'h2')).toEqual(readmeH2);
    });

    it.each(projects.map((p) => [p.id, p] as const))(
      "has on %s's page Learn Your Way links to pages of the site: Read a concept, Review its flashcards, Visualize its diagram",
      (_id, project) => {
        const page = `${pageUrl(project)}index.html`;
        const html = article(readFileSync(siteFile(pageUrl(project)), 'utf8'));
        const start = html.indexOf('id="learn-your-way"');
        expect(start, 'a Learn Your Way heading').toBeGreaterThan(-1);
        const table = html.slice(start, html.indexOf('<h2', start + 1));
        const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!));
        const cells = learnYourWay(rows);
        const href = (key: string) => /href="([^"]+)"/.exec(cells[key] ?? '')?.[1];
        for (const key of ['read', 'review', 'visualize']) {
          const h = href(key);
          expect(h, `${key}: a link`).toBeDefined();
          expect(existsSync(siteFile(resolveHref(page, h!))), `${key} -> ${h}`).toBe(true);
        }
        expect(resolveHref(page, href('read')!)).toMatch(/^concepts\/[a-z0-9-]+\/$/);
        expect(resolveHref(page, href('review')!)).toBe(`${flashcardsOf(project).replace(/\.md$/, '')}/`);
        expect(resolveHref(page, href('visualize')!)).toBe(`${diagramOf(project).replace(/\.md$/, '')}/`);
      },
    );

    it('has every internal link, script, stylesheet and anchor of every page resolving', () => {
      const broken: string[] = [];
      const ids = new Map<string, Set<string>>();
      const idsOf = (file: string) => {
        if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
        return ids.get(file)!;
      };
      const pages = htmlPages();
      expect(pages.length, 'pages built').toBeGreaterThan(10);
      for (const file of pages) {
        const page = posix.relative(site.dir.split('\\').join('/'), file.split('\\').join('/'));
        const html = readFileSync(file, 'utf8');
        for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
          const ref = m[1]!.replace(/&amp;/g, '&');
          if (ref === '' || ref === '#' || isExternal(ref) || ref.startsWith('data:')) continue;
          const [path, anchor] = ref.split('#') as [string, string | undefined];
          const target = path === '' ? file : siteFile(resolveHref(page, ref));
          if (!existsSync(target)) {
            broken.push(`${page}: ${ref} (no ${posix.relative(site.dir, target)})`);
          } else if (anchor && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(anchor))) {
            broken.push(`${page}: ${ref} (no id "${anchor}")`);
          }
        }
      }
      expect(broken).toEqual([]);
    });

    it.each(projects.map((p) => [p.id, p] as const))(
      'shows for %s the exit code its src/exit-codes.ts gives each error of src/errors.ts',
      async (_id, project) => {
        const errors = (await import(pathToFileURL(join(project.dir, 'src', 'errors.ts')).href)) as Record<string, unknown>;
        const codes = (await import(pathToFileURL(join(project.dir, 'src', 'exit-codes.ts')).href)) as Record<string, unknown>;
        expect(typeof codes.exitCodeFor, 'src/exit-codes.ts exports exitCodeFor(error)').toBe('function');
        const exitCodeFor = codes.exitCodeFor as (e: unknown) => number;
        const fromCode: Record<string, string> = {};
        for (const [name, value] of Object.entries(errors)) {
          if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
          const Cls = value as new (message: string) => Error;
          const code = exitCodeFor(new Cls('x'));
          fromCode[name] = String(code);
        }
        expect(Object.keys(fromCode).length, 'error classes in src/errors.ts').toBeGreaterThan(0);
        if (codes.EXIT && typeof codes.EXIT === 'object') {
          const unknown = Object.values(codes.EXIT as Record<string, number>).filter((c) => !COURSE_CODES.includes(c));
          expect(unknown, 'codes outside the course table').toEqual([]);
        }

        const html = article(readFileSync(siteFile('reference/exit-codes/'), 'utf8'));
        const anchor = project.id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
        const start = html.indexOf(`id="${anchor}"`);
        expect(start, `a section #${anchor} in the reference`).toBeGreaterThan(-1);
        // the first table of the project's section: error class, exit code, meaning
        const part = /<table>([\s\S]*?)<\/table>/.exec(html.slice(start))?.[1] ?? '';
        const shown: Record<string, string> = {};
        for (const row of part.matchAll(/<tr>\s*<td><code>(\w+)<\/code><\/td>\s*<td>([^<]*)<\/td>/g)) {
          const cell = row[2]!.trim();
          // a class exitCodeFor does not map falls through to 1
          shown[row[1]!] = /^\d+$/.test(cell) ? cell : cell.startsWith('not mapped') ? '1' : cell;
        }
        expect(shown).toEqual(fromCode);
      },
    );
  },
);
