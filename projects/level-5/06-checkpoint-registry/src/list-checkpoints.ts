// `list-checkpoints [limit] [status]`: the newest rows first, as a table or (--json) as JSON.
// It only reads: no file or table is created and no row changes. A row `running` whose owner is gone
// is shown as resumable, with the command that resumes it.
import type { ListOptions } from './args.ts';
import { countPatterns, listCheckpoints, type CheckpointRow } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { isStale } from './lock.ts';
import { openRegistry } from './registry.ts';

export function listCommand(o: ListOptions, deps: Deps): string {
  const db = openRegistry(deps, o.db, { existingOnly: true });
  const empty = `No ${o.status ? `${o.status} ` : ''}checkpoints in ${o.db}\n`;
  if (!db) return o.json ? '[]\n' : empty;
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'pattern_mining_checkpoints'").get() !== undefined;
    const rows = hasTable ? listCheckpoints(db, o.limit, o.status) : [];
    const notes = rows.map((row) => note(row, deps, () => countPatterns(db, row.id)));
    if (o.json) return `${JSON.stringify(rows.map((row, k) => asJson(row, notes[k]!, deps)), null, 2)}\n`;
    return rows.length === 0 ? empty : table(rows, notes);
  } finally {
    db.close();
  }
}

function note(row: CheckpointRow, deps: Deps, patterns: () => number): string {
  if (row.status === 'completed') return `${patterns()} patterns`;
  if (row.status === 'failed') return `resumable: failed, ${row.error ?? 'no reason recorded'} (resume-mining ${row.id})`;
  if (isStale(row, deps)) {
    return `resumable: its owner ${row.owner_pid === null ? 'is not recorded' : `pid ${row.owner_pid} is gone`} (resume-mining ${row.id})`;
  }
  return `held by pid ${row.owner_pid}`;
}

/** The stored columns, with the JSON ones parsed when they parse (a corrupt one stays text). */
function asJson(row: CheckpointRow, noteText: string, deps: Deps): Record<string, unknown> {
  const parsed = (text: string | null) => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    ...row,
    patterns_in_progress: parsed(row.patterns_in_progress),
    metadata: parsed(row.metadata),
    resumable: row.status === 'failed' || isStale(row, deps),
    note: noteText,
  };
}

function table(rows: CheckpointRow[], notes: string[]): string {
  const header = ['id', 'status', 'stage', 'days', 'min_spam', 'last_message', 'chunk', 'last_updated', 'note'];
  const cells = rows.map((r, k) => [
    String(r.id), r.status, r.stage, String(r.days), String(r.min_spam_count),
    r.last_processed_message_id === null ? '-' : String(r.last_processed_message_id), String(r.chunk_index), r.last_updated, notes[k]!,
  ]);
  const numeric = new Set([0, 3, 4, 5, 6]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return `${[header, ...cells].map(line).join('\n')}\n`;
}
