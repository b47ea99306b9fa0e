// Checks made before anything is written (G4): the input can be read, and the output and
// the checkpoint can be created where the flags say. A run that would fail on these fails
// here, with every file exactly as it was.
import { dirname, resolve } from 'node:path';
import type { Deps } from './deps.ts';
import { InputError, OutputError, UsageError, errnoOf } from './errors.ts';

/** The input's size in bytes; throws InputError (66) when it is missing or not a file. */
export function checkInput(deps: Deps, path: string): number {
  let stat;
  try {
    stat = deps.fs.statSync(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') throw new InputError(`Input ${path} not found; write one with \`generate --output ${path}\` or check --input`);
    throw new InputError(`Input ${path} cannot be read (${errnoOf(error) ?? (error as Error).message}); check the path and its permissions`);
  }
  if (!stat.isFile()) throw new InputError(`Input ${path} is not a file; point --input at a file of numbers`);
  return stat.size;
}

/** The folder of `path` exists and is writable, and `path` is not a folder; else OutputError (73). */
export function checkCreatable(deps: Deps, path: string, flag: string): void {
  const folder = dirname(path);
  try {
    if (!deps.fs.statSync(folder).isDirectory()) throw new OutputError(`Cannot create ${path}: ${folder} is not a folder; fix ${flag}`);
    deps.fs.accessSync(folder, deps.fs.constants.W_OK);
  } catch (error) {
    if (error instanceof OutputError) throw error;
    const code = errnoOf(error) ?? (error as Error).message;
    const why = code === 'ENOENT' ? `folder ${folder} does not exist` : `folder ${folder} is not writable (${code})`;
    throw new OutputError(`Cannot create ${path}: ${why}; create it or fix ${flag}`);
  }
  if (deps.fs.existsSync(path) && deps.fs.statSync(path).isDirectory()) throw new OutputError(`Cannot create ${path}: it is a folder; fix ${flag}`);
}

/** Two flags naming the same file would overwrite one with the other: refuse (exit 2). */
export function checkDistinct(paths: Record<string, string>): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(paths)) {
    const key = resolve(path);
    const other = seen.get(key);
    if (other) throw new UsageError(`${other} and ${flag} name the same file (${path}); give each its own path`);
    seen.set(key, flag);
  }
}
