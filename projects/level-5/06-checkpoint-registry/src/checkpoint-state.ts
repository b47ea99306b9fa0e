// Reading a checkpoint row back: its JSON columns and its position are checked in full before
// the row is resumed (G3). A row that fails is refused with exit 65 and left exactly as it was;
// the tool never guesses what a corrupt row meant.
import type { CheckpointRow, Stage } from './checkpoints.ts';
import { CorruptCheckpointError } from './errors.ts';
import type { Window } from './message-log.ts';
import type { Groups } from './patterns.ts';

/** Given at creation and stored with the row: it decides how the run goes on after a crash. */
export interface Metadata {
  input: string;
  input_sha256: string;
  export: string;
  batch_size: number;
  checkpoint_every: number;
}

/** Where a run stands: the stage, the last item done in it, and stage 1's results so far. */
export interface ResumePoint {
  stage: Stage;
  lastId: number | null;
  chunkIndex: number;
  groups: Groups;
}

export function describeRow(row: CheckpointRow, dbPath: string): string {
  return `Checkpoint ${row.id} in ${dbPath}`;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function parseMetadata(row: CheckpointRow, dbPath: string, fix: string): Metadata {
  const where = describeRow(row, dbPath);
  const data = parseJsonObject(row.metadata, `${where}: metadata`, fix);
  for (const field of ['input', 'export'] as const) {
    if (typeof data[field] !== 'string' || data[field] === '') throw new CorruptCheckpointError(`${where}: metadata.${field} must be a file path, got ${show(data[field])}; ${fix}`);
  }
  if (typeof data.input_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(data.input_sha256)) {
    throw new CorruptCheckpointError(`${where}: metadata.input_sha256 must be a sha256 in hex, got ${show(data.input_sha256)}; ${fix}`);
  }
  for (const field of ['batch_size', 'checkpoint_every'] as const) {
    if (!isCount(data[field])) throw new CorruptCheckpointError(`${where}: metadata.${field} must be a positive whole number, got ${show(data[field])}; ${fix}`);
  }
  return data as unknown as Metadata;
}

/** The row's position and intermediate results, checked against the window they were made from. */
export function parseResumePoint(row: CheckpointRow, window: Window, dbPath: string, fix: string): ResumePoint {
  const where = describeRow(row, dbPath);
  const bad = (why: string) => new CorruptCheckpointError(`${where}: ${why}; ${fix}`);
  if (!['stage1', 'stage2', 'completed'].includes(row.stage)) throw bad(`unknown stage ${show(row.stage)}`);
  if (row.chunk_index < 0) throw bad(`chunk_index ${row.chunk_index} is negative`);
  if (row.stage === 'completed') return { stage: 'completed', lastId: null, chunkIndex: 0, groups: {} };

  if (row.patterns_in_progress === null) throw bad('patterns_in_progress is missing');
  const groups = parseGroups(row.patterns_in_progress, `${where}: patterns_in_progress`, fix);
  const last = row.last_processed_message_id;
  const newest = window.newestFirst[0]?.id ?? 0;
  if (last !== null && last < 1) throw bad(`last_processed_message_id ${last} is negative or zero; message ids start at 1`);
  if (last !== null && last > newest) throw bad(`last_processed_message_id ${last} exceeds the newest message of the window (${newest})`);
  const spamCounted = Object.values(groups).reduce((sum, g) => sum + g.count, 0);

  if (row.stage === 'stage1') {
    if (last !== null && !window.newestFirst.some((m) => m.id === last)) {
      throw bad(`last_processed_message_id ${last} is not a message of the window ${window.from} to ${window.to}`);
    }
    // Newest first: the messages done are those from the newest down to `last`.
    const spamDone = last === null ? 0 : window.newestFirst.filter((m) => m.spam && m.id >= last).length;
    if (spamCounted !== spamDone) {
      throw bad(`patterns_in_progress counts ${spamCounted} spam messages, but last_processed_message_id ${last} covers ${spamDone}`);
    }
  } else {
    const spamTotal = window.newestFirst.filter((m) => m.spam).length;
    if (spamCounted !== spamTotal) throw bad(`patterns_in_progress counts ${spamCounted} spam messages, but the window holds ${spamTotal}`);
    if (last !== null && !Object.values(groups).some((g) => g.example === last)) {
      throw bad(`last_processed_message_id ${last} is not the newest message of any group`);
    }
  }
  return { stage: row.stage, lastId: last, chunkIndex: row.chunk_index, groups };
}

function parseGroups(text: string, what: string, fix: string): Groups {
  const data = parseJsonObject(text, what, fix);
  const groups: Groups = {};
  for (const [key, value] of Object.entries(data)) {
    const g = value as { count?: unknown; example?: unknown } | null;
    // Templates are lowercase words, <n> and <url>: anything else (say "__proto__") is not one.
    if (!/^[a-z<> ]*$/.test(key)) throw new CorruptCheckpointError(`${what}: ${JSON.stringify(key)} is not a message template; ${fix}`);
    if (typeof g !== 'object' || g === null || !isCount(g.count) || !isCount(g.example)) {
      throw new CorruptCheckpointError(`${what}: group ${JSON.stringify(key)} must be {"count": <n>, "example": <id>}, got ${show(value)}; ${fix}`);
    }
    groups[key] = { count: g.count, example: g.example };
  }
  return groups;
}

function parseJsonObject(text: string, what: string, fix: string): Record<string, unknown> {
  if (text.trim() === '') throw new CorruptCheckpointError(`${what} is empty; ${fix}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptCheckpointError(`${what} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CorruptCheckpointError(`${what} is not a JSON object (got ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}); ${fix}`);
  }
  return data as Record<string, unknown>;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
