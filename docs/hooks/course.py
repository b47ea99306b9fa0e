"""MkDocs hook for the Crash Course site (mkdocs 1.4 `hooks:`, see mkdocs.yml).

Nothing here copies a page: every project page IS the project's README.md, read at build time,
so the site and the exercise page cannot drift apart. What the hook does:

- on_config: finds the projects (projects/level-N/NN-slug/project.json) and fills the nav's
  "Projects", "Diagrams" and "Flashcards" sections from them.
- on_files: adds one page per project whose source file is the project's README.md, at
  projects/level-N/NN-slug.md in the site; keeps docs/hooks/ out of the site.
- on_page_markdown:
  - in a project page, resolves the README's relative links (written for the repository, where
    the README lives three folders below the root) to pages of the site; links to files the
    site does not publish (notes.md, src/...) become the file's path in the repository. In the
    Learn Your Way table, Read must lead to a concept page, Review to the level's flashcards,
    Visualize to the project's diagram: a cell that does not is given that link.
  - in any page, fills the generated blocks: `<!-- course:projects -->` (the level map) and
    `<!-- course:error-reference -->` (exit codes and error messages, read from each project's
    src/errors.ts, src/exit-codes.ts and project.json).

A problem the author must fix (a project without README, diagram or flashcards; a README link to
a file that does not exist) is logged as a warning, which fails `mkdocs build --strict`.
"""

import json
import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.course")

# Where Read leads when the README's own Read link does not reach a concept page.
READ_BY_LEVEL = {
    0: "concepts/what-is-a-checkpoint.md",
    1: "concepts/exactly-once-output.md",
    2: "concepts/atomic-replace-and-fsync.md",
    3: "concepts/exactly-once-output.md",
    4: "concepts/what-is-a-checkpoint.md",
    5: "concepts/locks-and-concurrency.md",
    6: "concepts/when-one-machine-is-not-enough.md",
}
DEFAULT_READ = "concepts/what-is-a-checkpoint.md"


@dataclass
class Project:
    id: str  # "level-4/05-checkpoint-recovery-tool"
    level: int
    title: str
    focus: str
    seed: str
    folder: str  # repo-relative: "projects/level-4/05-checkpoint-recovery-tool"
    manifest: dict = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The project page's path inside the site's docs."""
        return f"projects/{self.id}.md"

    @property
    def diagram(self) -> str:
        """diagrams/level-4-05-checkpoint-recovery-tool.md"""
        return f"diagrams/{self.id.replace('/', '-')}.md"

    @property
    def flashcards(self) -> str:
        return f"flashcards/level-{self.level}.md"

    @property
    def readme(self) -> str:
        return f"{self.folder}/README.md"

    @property
    def nav_title(self) -> str:
        return f"Level {self.level} · {self.title}"


_state: Dict[str, object] = {}


def _root(config) -> str:
    return os.path.dirname(os.path.abspath(config["config_file_path"]))


def find_projects(root: str) -> List[Project]:
    """Every projects/level-N/NN-slug/ with a project.json, in level order."""
    found: List[Project] = []
    base = os.path.join(root, "projects")
    if not os.path.isdir(base):
        return found
    for level_dir in sorted(os.listdir(base)):
        if not re.fullmatch(r"level-\d+", level_dir):
            continue
        for slug in sorted(os.listdir(os.path.join(base, level_dir))):
            manifest_path = os.path.join(base, level_dir, slug, "project.json")
            if not os.path.isfile(manifest_path):
                continue
            try:
                with open(manifest_path, encoding="utf-8") as f:
                    manifest = json.load(f)
            except (OSError, ValueError) as error:
                log.warning(f"projects/{level_dir}/{slug}/project.json cannot be read: {error}")
                continue
            level = manifest.get("level")
            if not isinstance(level, int):
                level = int(level_dir.split("-")[1])
            found.append(
                Project(
                    id=f"{level_dir}/{slug}",
                    level=level,
                    title=str(manifest.get("title") or slug),
                    focus=str(manifest.get("focus") or ""),
                    seed=str(manifest.get("seed") or ""),
                    folder=f"projects/{level_dir}/{slug}",
                    manifest=manifest,
                )
            )
    found.sort(key=lambda p: (p.level, p.id))
    return found


# ---------------------------------------------------------------------------------------------
# on_config: the nav


def _fill_section(nav: list, title: str, entries: List[dict], overview: str) -> bool:
    """Replace the nav section called `title` by its overview page followed by `entries`."""
    for i, item in enumerate(nav):
        if isinstance(item, dict) and title in item:
            value = item[title]
            head: List[object] = []
            if isinstance(value, str):
                head = [{overview: value}]
            elif isinstance(value, list):
                # keep hand-written entries that are not generated ones
                generated = {list(e.values())[0] for e in entries}
                head = [e for e in value if not (isinstance(e, dict) and list(e.values())[0] in generated)]
            nav[i] = {title: head + entries}
            return True
    return False


def on_config(config, **kwargs):
    root = _root(config)
    projects = []
    for p in find_projects(root):
        # A project is on the site once it has its exercise page; until then, one warning.
        if os.path.isfile(os.path.join(root, p.readme)):
            projects.append(p)
        else:
            log.warning(f"{p.id} has a project.json but no README.md: its page cannot be built")
    _state["root"] = root
    _state["projects"] = projects
    _state["docs_dir"] = docs = config["docs_dir"]

    nav = config.get("nav")
    if nav is None:
        return config

    _fill_section(nav, "Projects", [{p.nav_title: p.page} for p in projects], "All projects")
    diagrams = []
    for p in projects:
        if os.path.isfile(os.path.join(docs, p.diagram)):
            diagrams.append({p.nav_title: p.diagram})
        else:
            log.warning(f"{p.id} has no diagram: write docs/{p.diagram} (where a crash can land, what recovery does)")
    _fill_section(nav, "Diagrams", diagrams, "How to read them")
    cards = []
    for level in sorted({p.level for p in projects}):
        path = f"flashcards/level-{level}.md"
        if os.path.isfile(os.path.join(docs, path)):
            cards.append({f"Level {level}": path})
        else:
            log.warning(f"level {level} has no flashcards: write docs/{path}")
    _fill_section(nav, "Flashcards", cards, "How to use them")
    return config


# ---------------------------------------------------------------------------------------------
# on_files: one page per project, whose source is its README


def on_files(files, config, **kwargs):
    root = _state["root"]
    projects: List[Project] = _state["projects"]  # type: ignore[assignment]
    kept = [f for f in files if not f.src_uri.startswith("hooks/")]
    by_page: Dict[str, Project] = {}
    for p in projects:
        readme = os.path.join(root, p.readme)
        page = File(p.page, config["docs_dir"], config["site_dir"], config["use_directory_urls"])
        # The page is read straight from the README: no copy exists that could drift.
        page.abs_src_path = os.path.normpath(readme)
        kept.append(page)
        by_page[p.page] = p
    _state["by_page"] = by_page
    return type(files)(kept)


# ---------------------------------------------------------------------------------------------
# on_page_markdown: links in project pages, generated blocks everywhere

FENCE = re.compile(r"^(```|~~~)")
# [text](target "title") -- text may hold one level of nested brackets, e.g. [`x[0]`](...)
INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)(.*)$")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _is_external(target: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target)) or target.startswith("//")


class LinkResolver:
    """Resolves links written in a README (relative to its folder in the repo) for the site."""

    def __init__(self, project: Project, projects: List[Project], root: str, docs_dir: str, files):
        self.project = project
        self.projects = projects
        self.root = root
        self.docs_dir = docs_dir
        self.docs_rel = posixpath.relpath(os.path.abspath(docs_dir).replace(os.sep, "/"), root.replace(os.sep, "/"))
        self.files = files
        self.page_dir = posixpath.dirname(project.page)
        self.readme_dir = project.folder

    def site_path(self, target: str) -> Tuple[Optional[str], Optional[str], str]:
        """(docs path in the site or None, repo path, anchor) for a relative README link."""
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        if path == "":
            return (self.project.page, self.project.readme, anchor)
        repo_path = posixpath.normpath(posixpath.join(self.readme_dir, path))
        if repo_path.startswith("../"):
            return (None, repo_path, anchor)
        prefix = self.docs_rel + "/"
        if repo_path.startswith(prefix):
            return (repo_path[len(prefix):], repo_path, anchor)
        if repo_path == "README.md":
            return ("index.md", repo_path, anchor)
        for p in self.projects:
            if repo_path in (p.folder, p.readme):
                return (p.page, repo_path, anchor)
        return (None, repo_path, anchor)

    def rel(self, docs_path: str, anchor: str = "") -> str:
        """A link from the project page (in the site) to a docs page."""
        return posixpath.relpath(docs_path, self.page_dir) + anchor

    def readme_rel(self, docs_path: str) -> str:
        """A link from the README (in the repo) to a docs page: what the README itself should say."""
        return posixpath.relpath(f"{self.docs_rel}/{docs_path}", self.readme_dir)

    def resolve(self, target: str, text: str) -> Tuple[str, Optional[str]]:
        """The link for the site, or (text, None) when the target is not published by the site."""
        if _is_external(target) or target.startswith("#") or target.startswith("/"):
            return (target, target)
        docs_path, repo_path, anchor = self.site_path(target)
        if docs_path is not None:
            if docs_path not in self.files and not os.path.isfile(os.path.join(self.docs_dir, docs_path)):
                log.warning(f"{self.project.readme} links to {target}, which the site does not have (docs/{docs_path})")
            return (self.rel(docs_path, anchor), self.rel(docs_path, anchor))
        if not os.path.exists(os.path.join(self.root, repo_path)):
            log.warning(f"{self.project.readme} links to {target}, which does not exist ({repo_path})")
        return (repo_path, None)


def _rewrite_line(line: str, resolver: LinkResolver) -> str:
    m = REF_DEF.match(line)
    if m:
        _repo_path, site = resolver.resolve(m.group(2), "")
        return f"{m.group(1)}{site}{m.group(3)}" if site else line
    out: List[str] = []
    pos = 0
    # keep inline code untouched
    spans = [(s.start(), s.end()) for s in CODE_SPAN.finditer(line)]

    def in_code(i: int) -> bool:
        return any(a <= i < b for a, b in spans)

    for m in INLINE_LINK.finditer(line):
        if in_code(m.start()):
            continue
        bang, text, target, title = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        repo_path, site = resolver.resolve(target, text)
        out.append(line[pos:m.start()])
        if site is not None:
            out.append(f"{bang}[{text}]({site}{title})")
        else:
            # A file of the repository the site does not publish: say where it is.
            shown = f"`{repo_path}`"
            out.append(shown if text.strip("`") in (repo_path, posixpath.basename(repo_path), target) else f"{text} ({shown})")
        pos = m.end()
    out.append(line[pos:])
    return "".join(out)


def rewrite_links(markdown: str, resolver: LinkResolver) -> str:
    lines = markdown.split("\n")
    fenced = None
    for i, line in enumerate(lines):
        m = FENCE.match(line.strip())
        if m:
            if fenced is None:
                fenced = m.group(1)
            elif line.strip().startswith(fenced):
                fenced = None
            continue
        if fenced is None:
            lines[i] = _rewrite_line(line, resolver)
    return "\n".join(lines)


def _split_row(row: str) -> List[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [c.strip() for c in row.split("|")]


def _cell_target(cell: str) -> Optional[str]:
    m = INLINE_LINK.search(cell)
    return m.group(3) if m else None


def fix_learn_your_way(markdown: str, project: Project, resolver: LinkResolver) -> str:
    """Make Read, Review and Visualize lead where the course says they lead."""
    lines = markdown.split("\n")
    start = next((i for i, l in enumerate(lines) if re.match(r"^##\s+Learn Your Way\s*$", l)), None)
    if start is None:
        log.warning(f"{project.readme} has no '## Learn Your Way' section")
        return markdown
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rows = [i for i in range(start + 1, end) if lines[i].strip().startswith("|")]
    if len(rows) < 2:
        log.warning(f"{project.readme}: the Learn Your Way section has no table")
        return markdown

    def wanted(key: str, current: Optional[str]) -> Optional[str]:
        """The docs path a cell must lead to, or None when its own link is right."""
        docs_path = resolver.site_path(current)[0] if current and not _is_external(current) else None
        if key == "read":
            ok = docs_path is not None and docs_path.startswith("concepts/") and os.path.isfile(os.path.join(resolver.docs_dir, docs_path))
            return None if ok else READ_BY_LEVEL.get(project.level, DEFAULT_READ)
        if key == "review":
            return None if docs_path == project.flashcards else project.flashcards
        if key == "visualize":
            return None if docs_path == project.diagram else project.diagram
        return None

    labels = {"read": "Concept", "review": "Flashcards", "visualize": "Diagram"}
    header = [c.lower() for c in _split_row(lines[rows[0]])]
    if "read" in header and "review" in header:
        # one header row of names, one row of cells (the course's layout)
        body = rows[2] if len(rows) > 2 else None
        if body is None:
            return markdown
        cells = _split_row(lines[body])
        for col, key in enumerate(header):
            if key in labels and col < len(cells):
                target = wanted(key, _cell_target(cells[col]))
                if target:
                    log.info(f"{project.readme}: Learn Your Way {key} now leads to {target}")
                    cells[col] = f"[{labels[key]}]({resolver.readme_rel(target)})"
        lines[body] = "| " + " | ".join(cells) + " |"
    else:
        # one row per entry: | Read | [link](...) |
        for i in rows:
            cells = _split_row(lines[i])
            key = re.sub(r"[^a-z]", "", cells[0].lower()) if cells else ""
            if key in labels and len(cells) > 1:
                target = wanted(key, _cell_target(cells[1]))
                if target:
                    log.info(f"{project.readme}: Learn Your Way {key} now leads to {target}")
                    cells[1] = f"[{labels[key]}]({resolver.readme_rel(target)})"
                    lines[i] = "| " + " | ".join(cells) + " |"
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files, **kwargs):
    projects: List[Project] = _state.get("projects", [])  # type: ignore[assignment]
    by_page: Dict[str, Project] = _state.get("by_page", {})  # type: ignore[assignment]
    project = by_page.get(page.file.src_uri)
    if project is not None:
        resolver = LinkResolver(project, projects, _state["root"], config["docs_dir"], files)  # type: ignore[arg-type]
        # Learn Your Way first: it reads and writes links as the README does (relative to its
        # folder in the repo); rewrite_links then turns every link into one for the site.
        markdown = fix_learn_your_way(markdown, project, resolver)
        markdown = rewrite_links(markdown, resolver)
        markdown += _project_footer(project, resolver)
    if "<!-- course:projects -->" in markdown:
        markdown = markdown.replace("<!-- course:projects -->", _projects_table(projects, page.file.src_uri))
    if "<!-- course:error-reference -->" in markdown:
        markdown = markdown.replace("<!-- course:error-reference -->", _error_reference(projects, page.file.src_uri))
    return markdown


def _project_footer(project: Project, resolver: LinkResolver) -> str:
    return (
        "\n\n---\n\n"
        f"*This page is `{project.readme}`, read when the site is built.* "
        f"[Diagram]({resolver.rel(project.diagram)}) · "
        f"[Flashcards]({resolver.rel(project.flashcards)}) · "
        f"[Exit codes and errors]({resolver.rel('reference/exit-codes.md', '#' + _anchor(project))})\n"
    )


def _anchor(project: Project) -> str:
    return re.sub(r"[^a-z0-9]+", "-", project.id.lower()).strip("-")


def _rel_from(page_src: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_src))


def _projects_table(projects: List[Project], page_src: str) -> str:
    if not projects:
        return "*No project has a `project.json` yet.*"
    docs = _state["docs_dir"]
    rows = ["| Level | Project | Focus | Seed system | Diagram | Flashcards |", "|---|---|---|---|---|---|"]

    def link(text: str, target: str) -> str:
        # a missing diagram or flashcards page has had its warning in on_config
        return f"[{text}]({_rel_from(page_src, target)})" if os.path.isfile(os.path.join(docs, target)) else "—"  # type: ignore[arg-type]

    for p in projects:
        rows.append(
            f"| {p.level} | [{p.title}]({_rel_from(page_src, p.page)}) | {p.focus} | {p.seed.split('_')[0].removesuffix('.txt')} | "
            f"{link('diagram', p.diagram)} | {link(f'level {p.level}', p.flashcards)} |"
        )
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# The exit-code and error-message reference, read from each project's code

CLASS_DEF = re.compile(r"(?:/\*\*\s*((?:(?!\*/).)*?)\s*\*/\s*)?export\s+class\s+(\w+)\s+extends\s+(\w+)", re.S)
EXIT_CONST = re.compile(r"export\s+const\s+EXIT\s*=\s*\{(.*?)\}", re.S)
EXIT_ENTRY = re.compile(r"(\w+)\s*:\s*(\d+)")
# `if (error instanceof A || error instanceof B) return EXIT.name;` (or a literal number)
MAPPING = re.compile(r"if\s*\(((?:(?!\breturn\b).)*?instanceof(?:(?!\breturn\b).)*?)\)\s*return\s+(?:EXIT\.(\w+)|(\d+))", re.S)
INSTANCEOF = re.compile(r"instanceof\s+(\w+)")
THROW = re.compile(r"new\s+(\w+Error)\(\s*(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", re.S)
PLACEHOLDER = re.compile(r"\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _template(literal: str) -> str:
    body = literal[1:-1]
    body = re.sub(r"\s*\n\s*", " ", body)

    def name(m: re.Match) -> str:
        expr = m.group(1).strip()
        return f"<{expr}>" if re.fullmatch(r"[\w.]+", expr) else "<…>"

    return PLACEHOLDER.sub(name, body)


def error_table(root: str, project: Project) -> Tuple[List[Tuple[str, Optional[int], str]], List[Tuple[str, str, str]], List[str]]:
    """([(class, code or None, doc)], [(class, where, message)], problems) for one project."""
    src = os.path.join(root, project.folder, "src")
    problems: List[str] = []
    errors_ts = _read(os.path.join(src, "errors.ts"))
    codes_ts = _read(os.path.join(src, "exit-codes.ts"))
    if errors_ts is None:
        problems.append(f"{project.folder}/src/errors.ts is missing")
    if codes_ts is None:
        problems.append(f"{project.folder}/src/exit-codes.ts is missing")
    if errors_ts is None or codes_ts is None:
        return ([], [], problems)
    exit_names: Dict[str, int] = {}
    m = EXIT_CONST.search(codes_ts)
    if m:
        exit_names = {k: int(v) for k, v in EXIT_ENTRY.findall(m.group(1))}
    # The `instanceof` lines in the order exitCodeFor tries them: the first that matches wins.
    mapping: List[Tuple[str, int]] = []
    for condition, name, number in MAPPING.findall(codes_ts):
        for cls in INSTANCEOF.findall(condition):
            if number:
                mapping.append((cls, int(number)))
            elif name in exit_names:
                mapping.append((cls, exit_names[name]))
            else:
                problems.append(f"{project.folder}/src/exit-codes.ts maps {cls} to EXIT.{name}, which it does not define")
    defs = CLASS_DEF.findall(errors_ts)
    parent = {cls: base for _doc, cls, base in defs}

    def code_of(cls: str) -> Optional[int]:
        chain = [cls]
        while chain[-1] in parent and parent[chain[-1]] not in chain:
            chain.append(parent[chain[-1]])  # a subclass is caught by its base's instanceof
        return next((code for mapped_cls, code in mapping if mapped_cls in chain), None)

    classes = []
    for doc, cls, _base in defs:
        doc = re.sub(r"\s*\n\s*\*?\s*", " ", doc).strip()
        classes.append((cls, code_of(cls), doc))
    if not classes:
        problems.append(f"{project.folder}/src/errors.ts exports no error class")
    messages: List[Tuple[str, str, str]] = []
    for name in sorted(os.listdir(src)) if os.path.isdir(src) else []:
        if not name.endswith(".ts"):
            continue
        text = _read(os.path.join(src, name)) or ""
        for t in THROW.finditer(text):
            line = text.count("\n", 0, t.start()) + 1
            messages.append((t.group(1), f"src/{name}:{line}", _template(t.group(2))))
    return (classes, messages, problems)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    """Text as a code span (the table extension keeps pipes inside code spans)."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _error_reference(projects: List[Project], page_src: str) -> str:
    root = _state["root"]  # type: ignore[assignment]
    out: List[str] = []
    for p in projects:
        classes, messages, problems = error_table(root, p)  # type: ignore[arg-type]
        for problem in problems:
            log.warning(f"exit-code reference: {problem}")
        out.append(f'## {p.nav_title} {{: #{_anchor(p)} }}\n')
        out.append(f"[Project page]({_rel_from(page_src, p.page)}) · read from `{p.folder}/src/errors.ts` and `src/exit-codes.ts`.\n")
        if classes:
            out.append("| error class | exit code | what it means |")
            out.append("|---|---|---|")
            for cls, code, doc in classes:
                shown = str(code) if code is not None else "not mapped (1 if it ever reached the top)"
                out.append(f"| `{cls}` | {shown} | {_md_escape(doc)} |")
            out.append("")
        if messages:
            code_of = {cls: code for cls, code, _ in classes}
            out.append("Every message the code can throw (placeholders in angle brackets):\n")
            out.append("| exit | error | message | where |")
            out.append("|---|---|---|---|")
            for cls, where, message in messages:
                code = code_of.get(cls)
                out.append(f"| {code if code is not None else '—'} | `{cls}` | {_code(message)} | `{where}` |")
            out.append("")
        breaks = p.manifest.get("dataBreaks") or []
        if breaks:
            out.append("What `npm run course -- break` does to the data, and what the tool then says (from `project.json`):\n")
            out.append("| data break | what it does | exit | the message contains |")
            out.append("|---|---|---|---|")
            for b in breaks:
                expect = b.get("expect") or {}
                out.append(
                    f"| `{b.get('name', '?')}` | {_md_escape(str(b.get('description', '')))} | {expect.get('code', '?')} | "
                    f"{_code(str(expect.get('message', '')))} |"
                )
            out.append("")
    if not out:
        return "*No project has a `project.json` yet.*"
    return "\n".join(out)
