// The export: a run's results, copied out of the results table into one JSON file once the
// run has finished. It holds no ids or times, so an interrupted and resumed run writes the
// same bytes as an uninterrupted one (the artifact the course compares).
import { dirname } from 'node:path';
import type { Deps } from './deps.ts';
import { writeFileDurably } from './durable-write.ts';
import { OutputError, isIoFailure } from './errors.ts';
import type { Window } from './message-log.ts';
import type { Pattern } from './patterns.ts';

export interface ExportContent {
  days: number;
  min_spam_count: number;
  window: { from: string; to: string };
  messages: number;
  spam_messages: number;
  patterns: Pattern[];
}

export function exportContent(window: Window, minSpamCount: number, patterns: Pattern[]): ExportContent {
  return {
    days: window.days,
    min_spam_count: minSpamCount,
    window: { from: window.from, to: window.to },
    messages: window.newestFirst.length,
    spam_messages: window.newestFirst.filter((m) => m.spam).length,
    patterns,
  };
}

export function writeExport(deps: Deps, path: string, content: ExportContent, checkpointId: number): void {
  try {
    writeFileDurably(deps.fs, path, `${JSON.stringify(content, null, 2)}\n`);
  } catch (error) {
    if (isIoFailure(error)) {
      throw new OutputError(`Cannot write export ${path} (${error.code}); checkpoint ${checkpointId} keeps the results, fix the cause and rerun to finish`);
    }
    throw error;
  }
}

/** Checked before anything is written (G4): the export's folder exists and can take a new file. */
export function checkExportFolder(deps: Deps, path: string): void {
  const { fs } = deps;
  const dir = dirname(path);
  if (!fs.existsSync(dir)) throw new OutputError(`Export folder ${dir} does not exist; create it first`);
  if (fs.existsSync(path) && fs.statSync(path).isDirectory()) throw new OutputError(`Export ${path} is a directory; pass a file path with --export`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new OutputError(`Export folder ${dir} is not writable; check its permissions`);
  }
}
