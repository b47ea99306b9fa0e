// `npm run course -- break`: put a catalogued fault into the working tree, say what to run and
// what to look for, and take it out again exactly. Code breaks are the patches in breaks/;
// data breaks are the project.json `dataBreaks` (a corrupt checkpoint, a leftover temp file,
// a crash mid-write). Before a data break, everything in the folders it touches is copied to
// .course/, and --undo puts back exactly that.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findBreak, listBreaks, type Patch } from './catalogue.ts';
import { projectState, readState, stateDir, writeState, type ProjectState } from './break-state.ts';
import { applyPatch } from './git-apply.ts';
import { cleanEnv, run, type Finished } from './processes.ts';
import { CourseError, type DataBreak, type Project } from './projects.ts';
import { workingTreeFiles } from './scratch.ts';

/** Run the project's CLI (`npx tsx project.ts ...`) in its folder. */
export function runTool(project: Project, args: string[]): Promise<Finished> {
  return run(process.execPath, ['--import', 'tsx', 'project.ts', ...args], { cwd: project.dir, env: cleanEnv(), timeoutMs: 120_000 });
}

const shellQuote = (a: string) => (/^[\w./=:@%+-]+$/.test(a) ? a : `"${a.replace(/"/g, '\\"')}"`);
export const runCommand = (project: Project) => `npx tsx project.ts ${project.manifest.run.map(shellQuote).join(' ')}`;
const shortName = (project: Project) => `level-${project.manifest.level}`;

export function listText(root: string, project: Project): string[] {
  const state = readState(root).projects[project.id];
  const active = (name: string) => (state?.code.some((c) => c.name === name) || state?.data?.name === name ? '  (applied)' : '');
  const breaks = listBreaks(project);
  const data = project.manifest.dataBreaks ?? [];
  const width = Math.max(0, ...breaks.map((b) => b.name.length), ...data.map((d) => d.name.length));
  const out = [`Breaks for ${project.id}:`, '', 'Code breaks (patches in breaks/; find them from the failing tests):'];
  for (const b of breaks) out.push(`  ${b.name.padEnd(width)}  ${b.title}${active(b.name)}`);
  if (breaks.length === 0) out.push('  (none)');
  out.push('', 'Data breaks (what a crash or a bad edit leaves in the checkpoint):');
  for (const d of data) out.push(`  ${d.name.padEnd(width)}  ${d.description} (expect exit ${d.expect.code})${active(d.name)}`);
  if (data.length === 0) out.push('  (none)');
  out.push('', `Apply one: npm run course -- break ${shortName(project)} <name>     Undo: add --undo`);
  return out;
}

/** Apply a code or data break by name. Returns what to tell the learner. */
export async function applyBreak(root: string, project: Project, name: string): Promise<string[]> {
  const data = (project.manifest.dataBreaks ?? []).find((d) => d.name === name);
  if (data) return applyDataBreak(root, project, data);
  const patch = findBreak(listBreaks(project), name);
  if (patch) return applyCodeBreak(root, project, patch);
  const names = [...listBreaks(project).map((b) => b.name), ...(project.manifest.dataBreaks ?? []).map((d) => d.name)];
  throw new CourseError(`No break "${name}" in ${project.id}; choose one of: ${names.join(', ') || '(none catalogued)'}`);
}

function applyCodeBreak(root: string, project: Project, patch: Patch): string[] {
  const state = readState(root);
  const ps = projectState(state, project.id);
  if (ps.code.some((c) => c.name === patch.name)) {
    throw new CourseError(`Break ${patch.name} is already applied to ${project.id}; undo it with: npm run course -- break ${shortName(project)} ${patch.name} --undo`, 1);
  }
  const check = applyPatch(patch.path, { cwd: root, check: true });
  if (!check.ok) {
    throw new CourseError(
      `Break ${patch.name} no longer applies to your working tree (${check.message}): the lines it changes were edited; ` +
        `see git diff -- ${patch.files.join(' ')}, undo those edits or apply the fault by hand from ${patch.rel}`,
      1,
    );
  }
  const applied = applyPatch(patch.path, { cwd: root });
  if (!applied.ok) throw new CourseError(`Break ${patch.name} did not apply: ${applied.message}`, 1);
  ps.code.push({ name: patch.name, patch: readFileSync(patch.path, 'utf8') });
  writeState(root, state);
  return [
    `Applied code break ${patch.name} to ${project.id}: ${patch.title}`,
    `Changed: ${patch.files.join(', ')}`,
    '',
    'Now run the project\'s tests and look for the ones that fail: they name what the fault breaks.',
    `  npx vitest run --project ${project.id}`,
    'Then find the fault from the failing tests and repair it by hand (Fix it), or undo it:',
    `  npm run course -- break ${shortName(project)} ${patch.name} --undo`,
  ];
}

async function applyDataBreak(root: string, project: Project, data: DataBreak): Promise<string[]> {
  const state = readState(root);
  const ps = projectState(state, project.id);
  const scopes = dataScopes(project, data);
  if (ps.data) {
    // another data break is in: go back to what was there first, and keep that snapshot
    restoreSnapshot(join(root, ps.data.snapshot), project.dir);
  } else {
    stateDir(root);
    const snapshot = `${STATE_SNAPSHOTS}/${project.id.replace(/[\\/]/g, '__')}`;
    takeSnapshot(project.dir, scopes, join(root, snapshot));
    ps.data = { name: data.name, snapshot };
  }
  ps.data.name = data.name;
  writeState(root, state);

  // start from the course's own data, as a fresh clone has it: earlier runs' output is set aside
  const committed = new Set(workingTreeFiles(root).filter((f) => f.startsWith(`${project.rel}/`)).map((f) => f.slice(project.rel.length + 1)));
  for (const file of filesInScopes(project.dir, scopes)) if (!committed.has(file)) rmSync(join(project.dir, file), { force: true });

  const out = [`Applied data break ${data.name} to ${project.id}: ${data.description}`];
  for (const args of data.prepare ?? []) {
    const result = await runTool(project, args);
    out.push(`  ran: npx tsx project.ts ${args.map(shellQuote).join(' ')}  (exit ${result.code})`);
  }
  if (data.write) {
    const target = join(project.dir, data.write.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data.write.content);
    out.push(`  wrote ${data.write.path} (${Buffer.byteLength(data.write.content)} bytes)`);
  }
  out.push(
    '',
    'Now run the tool from its folder:',
    `  cd ${project.rel}`,
    `  ${runCommand(project)}`,
    data.expect.code === 0
      ? `Look for: exit code 0 and "${data.expect.message}" in its log: the tool recovers from this on its own.`
      : `Look for: exit code ${data.expect.code} and a one-line error containing "${data.expect.message}"; the input, output and checkpoint stay as they were.`,
    '  (the exit code: echo $? in bash, $LASTEXITCODE in PowerShell)',
    `Undo (puts back exactly what was there): npm run course -- break ${shortName(project)} ${data.name} --undo`,
  );
  return out;
}

const STATE_SNAPSHOTS = '.course/snapshots';

/**
 * The folders a data break can touch, relative to the project: the top folder of its
 * checkpoint, its artifacts and the file it writes (`data`). A file at the project's top is
 * covered with every file whose name starts with it (its temp file, its journal).
 */
export function dataScopes(project: Project, data?: DataBreak): string[] {
  const paths = [project.manifest.checkpoint, ...project.manifest.artifacts, ...(data?.write ? [data.write.path] : [])];
  return [...new Set(paths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '').split('/')[0]!))].sort();
}

function filesInScopes(dir: string, scopes: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  for (const scope of scopes) {
    const full = join(dir, scope);
    if (existsSync(full) && statSync(full).isDirectory()) walk(scope);
    else out.push(...readdirSync(dir).filter((f) => f.startsWith(scope) && statSync(join(dir, f)).isFile()));
  }
  return out.sort();
}

function dirsInScopes(dir: string, scopes: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    out.push(rel);
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) if (entry.isDirectory()) walk(`${rel}/${entry.name}`);
  };
  for (const scope of scopes) {
    const full = join(dir, scope);
    if (existsSync(full) && statSync(full).isDirectory()) walk(scope);
  }
  return out;
}

interface SnapshotIndex {
  scopes: string[];
  files: Array<{ path: string; mode: number }>;
  dirs: string[];
}

function takeSnapshot(projectDir: string, scopes: string[], snapshotDir: string): void {
  rmSync(snapshotDir, { recursive: true, force: true });
  mkdirSync(join(snapshotDir, 'files'), { recursive: true });
  const files = filesInScopes(projectDir, scopes).map((path) => {
    const target = join(snapshotDir, 'files', path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(projectDir, path), target);
    return { path, mode: statSync(join(projectDir, path)).mode & 0o777 };
  });
  const index: SnapshotIndex = { scopes, files, dirs: dirsInScopes(projectDir, scopes) };
  writeFileSync(join(snapshotDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

/** Make the scopes hold exactly the snapshot: remove what was added, put back what was there. */
function restoreSnapshot(snapshotDir: string, projectDir: string): void {
  const index = JSON.parse(readFileSync(join(snapshotDir, 'index.json'), 'utf8')) as SnapshotIndex;
  const keep = new Set(index.files.map((f) => f.path));
  for (const file of filesInScopes(projectDir, index.scopes)) if (!keep.has(file)) rmSync(join(projectDir, file), { force: true });
  const keepDirs = new Set(index.dirs);
  for (const d of dirsInScopes(projectDir, index.scopes).reverse()) if (!keepDirs.has(d)) rmSync(join(projectDir, d), { recursive: true, force: true });
  for (const d of index.dirs) mkdirSync(join(projectDir, d), { recursive: true });
  for (const f of index.files) {
    const target = join(projectDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(snapshotDir, 'files', f.path), target);
    try {
      chmodSync(target, f.mode);
    } catch {
      // Windows keeps only the read-only bit
    }
  }
}

/** Undo one break by name, or every break of the project when no name is given. */
export function undoBreaks(root: string, project: Project, name?: string): string[] {
  const state = readState(root);
  const ps = state.projects[project.id];
  const known = [...listBreaks(project).map((b) => b.name), ...(project.manifest.dataBreaks ?? []).map((d) => d.name)];
  const resolved = name === undefined ? undefined : (findBreak(listBreaks(project), name)?.name ?? name);
  if (resolved !== undefined && !known.includes(resolved)) {
    throw new CourseError(`No break "${name}" in ${project.id}; choose one of: ${known.join(', ') || '(none catalogued)'}`);
  }
  if (!ps || (resolved !== undefined && ps.data?.name !== resolved && !ps.code.some((c) => c.name === resolved))) {
    return [`${resolved === undefined ? 'No break is' : `Break ${resolved} is not`} applied to ${project.id}: nothing to undo.`];
  }
  const out: string[] = [];
  try {
    if (ps.data && (resolved === undefined || ps.data.name === resolved)) out.push(undoData(root, project, ps));
    // the last applied first, so each reverse patch meets the code it left
    for (const c of [...ps.code].reverse()) {
      if (resolved === undefined || c.name === resolved) out.push(undoCode(root, project, ps, c.name));
    }
  } finally {
    // what was undone stays undone, even when a later undo is refused
    writeState(root, state);
  }
  return out;
}

/** Undo every break of every project. */
export function undoEverything(root: string, projects: Project[]): string[] {
  const state = readState(root);
  const active = projects.filter((p) => state.projects[p.id]);
  if (active.length === 0) return ['No break is applied: nothing to undo.'];
  return active.flatMap((p) => undoBreaks(root, p));
}

function undoData(root: string, project: Project, ps: ProjectState): string {
  const data = ps.data!;
  restoreSnapshot(join(root, data.snapshot), project.dir);
  rmSync(join(root, data.snapshot), { recursive: true, force: true });
  delete ps.data;
  return `Undid data break ${data.name} on ${project.id}: ${dataScopes(project).join(', ')} holds exactly what was there before.`;
}

function undoCode(root: string, project: Project, ps: ProjectState, name: string): string {
  const record = ps.code.find((c) => c.name === name)!;
  const patchFile = join(stateDir(root), `undo-${process.pid}.patch`);
  writeFileSync(patchFile, record.patch);
  try {
    const drop = () => (ps.code = ps.code.filter((c) => c.name !== name));
    if (applyPatch(patchFile, { cwd: root, reverse: true, check: true }).ok) {
      applyPatch(patchFile, { cwd: root, reverse: true });
      drop();
      return `Undid code break ${name} on ${project.id}: the code is as it was before the break.`;
    }
    if (applyPatch(patchFile, { cwd: root, check: true }).ok) {
      drop();
      return `Code break ${name} on ${project.id} is already gone (fixed or undone by hand): nothing to undo.`;
    }
    const files = record.patch.match(/^diff --git a\/(\S+)/gm)?.map((l) => l.slice(13)) ?? [];
    throw new CourseError(
      `Cannot undo break ${name} on ${project.id}: the lines it changed were edited since; see git diff -- ${files.join(' ')} (git checkout -- <file> restores a file as committed)`,
      1,
    );
  } finally {
    rmSync(patchFile, { force: true });
  }
}
