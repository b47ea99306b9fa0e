// The site in a real browser: builds it with mkdocs, serves it on 127.0.0.1, opens pages in
// Debian's headless Chromium, and checks that
// - every project page shows its README (its title and every `## ` heading), and
// - every mermaid diagram on every page rendered (Material replaces each `<pre class="mermaid">`
//   by a `<div class="mermaid">` holding the SVG; a diagram with a syntax error stays a `<pre>`),
// then saves a screenshot of each project page and each diagram page.
//
// Not part of `npm test` (it needs chromium and takes about a second per page):
//   apt-get install -y mkdocs mkdocs-material mkdocs-material-extensions chromium
//   npx tsx tools/screenshot-docs.ts [--site <built site dir>] [--out reports/docs-screenshots]
// Exit code 0 when every check passes, 1 otherwise.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const MKDOCS = '/usr/bin/mkdocs';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function flag(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k === -1 ? undefined : process.argv[k + 1];
}

interface Project {
  id: string;
  readme: string;
}

function projects(): Project[] {
  const out: Project[] = [];
  const base = join(ROOT, 'projects');
  for (const level of readdirSync(base).filter((d) => /^level-\d+$/.test(d)).sort()) {
    for (const slug of readdirSync(join(base, level)).sort()) {
      const dir = join(base, level, slug);
      if (existsSync(join(dir, 'project.json')) && existsSync(join(dir, 'README.md'))) {
        out.push({ id: `${level}/${slug}`, readme: readFileSync(join(dir, 'README.md'), 'utf8') });
      }
    }
  }
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
};

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(dir, path);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/**
 * Run headless Chromium once on a URL, with a new empty profile; returns stdout. Asynchronous:
 * the page is served by this same process, whose event loop must keep running meanwhile.
 */
async function chromium(url: string, mode: { dumpDom: true } | { screenshot: string }): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'crash-course-chromium-'));
  try {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=10000',
      '--window-size=1280,1600',
      ...('dumpDom' in mode ? ['--dump-dom'] : [`--screenshot=${mode.screenshot}`]),
      url,
    ];
    const { stdout } = await promisify(execFile)(CHROMIUM, args, { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&para;|¶/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

function headings(dom: string, tag: string): string[] {
  return [...dom.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => text(m[1]!));
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

async function main(): Promise<number> {
  for (const [bin, pkg] of [
    [MKDOCS, 'mkdocs mkdocs-material mkdocs-material-extensions'],
    [CHROMIUM, 'chromium'],
  ] as const) {
    if (!existsSync(bin)) {
      console.error(`${bin} is not installed: apt-get install -y ${pkg}`);
      return 2;
    }
  }
  const out = resolve(flag('--out') ?? join(ROOT, 'reports', 'docs-screenshots'));
  mkdirSync(out, { recursive: true });

  let site = flag('--site');
  let built: string | undefined;
  if (!site) {
    built = site = mkdtempSync(join(tmpdir(), 'crash-course-site-'));
    const build = spawnSync(MKDOCS, ['build', '--strict', '--site-dir', site], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) {
      console.error(`mkdocs build --strict failed:\n${build.stdout}${build.stderr}`);
      return 1;
    }
  }
  site = resolve(site);
  const server = await serve(site);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const failures: string[] = [];
  const report: string[] = [];

  try {
    // 1. Every project page shows its README.
    for (const p of projects()) {
      const url = `${base}projects/${p.id}/`;
      const dom = await chromium(url, { dumpDom: true });
      const article = dom.slice(dom.indexOf('<article'), dom.indexOf('</article>'));
      const want = [...p.readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/`/g, '').trim());
      const title = /^# (.+)$/m.exec(p.readme)?.[1]?.replace(/`/g, '').trim();
      const got = headings(article, 'h2');
      const problems = [
        ...(headings(article, 'h1')[0] === title ? [] : [`title is "${headings(article, 'h1')[0]}", README says "${title}"`]),
        ...want.filter((h) => !got.includes(h)).map((h) => `missing heading "${h}"`),
      ];
      const shot = join(out, `${p.id.replace('/', '-')}-page.png`);
      await chromium(url, { screenshot: shot });
      report.push(`${problems.length ? 'FAIL' : 'ok  '} project page  ${p.id} (${got.length} headings) -> ${relative(ROOT, shot)}`);
      failures.push(...problems.map((m) => `projects/${p.id}/: ${m}`));
    }

    // 2. Every page with a mermaid diagram renders all of them.
    for (const file of htmlFiles(site)) {
      const html = readFileSync(file, 'utf8');
      const expected = (html.match(/<pre class="mermaid">/g) ?? []).length;
      if (expected === 0) continue;
      const path = relative(site, file).split(sep).join('/').replace(/index\.html$/, '');
      const dom = await chromium(base + path, { dumpDom: true });
      const rendered = (dom.match(/<div class="mermaid"/g) ?? []).length;
      const left = (dom.match(/<pre class="mermaid/g) ?? []).length;
      const ok = rendered === expected && left === 0;
      let shotNote = '';
      if (path.startsWith('diagrams/') && path !== 'diagrams/') {
        const shot = join(out, `${path.replace(/^diagrams\//, '').replace(/\/$/, '')}-diagram.png`);
        await chromium(base + path, { screenshot: shot });
        shotNote = ` -> ${relative(ROOT, shot)}`;
      }
      report.push(`${ok ? 'ok  ' : 'FAIL'} diagrams     ${path} (${rendered} of ${expected} rendered)${shotNote}`);
      if (!ok) failures.push(`${path}: ${rendered} of ${expected} diagrams rendered, ${left} left as text (a mermaid syntax error?)`);
    }
  } finally {
    server.close();
    if (built) rmSync(built, { recursive: true, force: true });
  }

  console.log(report.join('\n'));
  if (failures.length) {
    console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `- ${f}`).join('\n')}`);
    return 1;
  }
  console.log(`\nEvery project page shows its README and every diagram renders. Screenshots in ${relative(ROOT, out)}/`);
  return 0;
}

process.exitCode = await main();
