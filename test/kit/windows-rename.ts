// The Windows branch of every tool's replace, tested on any machine. Each tool takes the
// platform as a parameter (process.platform by default), and the kit's `renameRefused`
// fault plays the virus scanner that holds a just-written file open for a moment, so these
// specs run the very code a Windows learner runs, on Linux CI too.
import { describe, expect, it } from 'vitest';
import type { BusyCode } from './faults.ts';
import { RecordingFs, type SyncFs } from './recording-fs.ts';
import { seedVolume } from './volume.ts';

/** What a project hands in: its own functions, as they are. */
export interface WindowsRenameSubject {
  renameWithRetry: (fs: SyncFs, from: string, to: string, platform?: NodeJS.Platform, sleep?: (ms: number) => void) => void;
  /** the pauses the project waits between tries */
  delays: readonly number[];
  /** the project's whole replace (temp file, fsync where the level has it, rename), for one text */
  replace: (fs: SyncFs, path: string, text: string, platform: NodeJS.Platform) => void;
  /** the project's folder fsync, from level 2 up */
  syncDir?: (fs: SyncFs, dir: string, platform: NodeJS.Platform) => void;
}

const DIR = '/data';
const TARGET = `${DIR}/checkpoint.json`;
const SOURCE = `${DIR}/checkpoint.json.tmp`;

function volume(refused?: { code: BusyCode; times: number }) {
  const vol = seedVolume({ [TARGET]: 'old\n', [SOURCE]: 'new\n' });
  const rec = new RecordingFs(vol, undefined, refused ? { renameRefused: refused } : {});
  const text = (path: string) => (vol.existsSync(path) ? String(vol.readFileSync(path)) : undefined);
  const renames = () => rec.ops.filter((op) => op.kind === 'rename').length;
  return { rec, text, renames };
}

export function describeWindowsRename(subject: WindowsRenameSubject): void {
  const { renameWithRetry, delays } = subject;

  describe('renaming on Windows, where another program may hold the file open for a moment', () => {
    for (const code of ['EPERM', 'EACCES', 'EBUSY'] as const) {
      it(`tries a rename refused with ${code} again after each pause until it goes through`, () => {
        const { rec, text, renames } = volume({ code, times: delays.length });
        const pauses: number[] = [];
        renameWithRetry(rec.fs, SOURCE, TARGET, 'win32', (ms) => pauses.push(ms));
        expect(pauses).toEqual([...delays]);
        expect(renames()).toBe(delays.length + 1);
        expect(text(TARGET)).toBe('new\n');
        expect(text(SOURCE)).toBeUndefined();
      });
    }

    it('reports the error once the last try is refused too, and the old file is still whole', () => {
      const { rec, text } = volume({ code: 'EPERM', times: delays.length + 1 });
      const pauses: number[] = [];
      expect(() => renameWithRetry(rec.fs, SOURCE, TARGET, 'win32', (ms) => pauses.push(ms))).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(pauses).toEqual([...delays]);
      expect(text(TARGET)).toBe('old\n');
    });

    it('waits about a second in all, no more, before it reports a rename that stays refused', () => {
      const total = delays.reduce((sum, ms) => sum + ms, 0);
      expect(total).toBeGreaterThanOrEqual(500);
      expect(total).toBeLessThanOrEqual(2000);
    });

    it('never retries on Linux or macOS, where a refused rename is a real permission error', () => {
      for (const platform of ['linux', 'darwin'] as const) {
        const { rec, text, renames } = volume({ code: 'EPERM', times: 1 });
        const pauses: number[] = [];
        expect(() => renameWithRetry(rec.fs, SOURCE, TARGET, platform, (ms) => pauses.push(ms))).toThrow(expect.objectContaining({ code: 'EPERM' }));
        expect(pauses).toEqual([]);
        expect(renames()).toBe(1);
        expect(text(TARGET)).toBe('old\n');
      }
    });

    it('never retries an error a pause cannot cure, on Windows either (ENOENT: the file is gone)', () => {
      const { rec, renames } = volume();
      const pauses: number[] = [];
      expect(() => renameWithRetry(rec.fs, `${DIR}/missing.tmp`, TARGET, 'win32', (ms) => pauses.push(ms))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
      expect(pauses).toEqual([]);
      expect(renames()).toBe(1);
    });

    it('replaces a file through a busy moment on Windows, leaving no temp file behind', () => {
      const { rec, text } = volume({ code: 'EBUSY', times: 2 });
      subject.replace(rec.fs, TARGET, 'replaced\n', 'win32');
      expect(text(TARGET)).toBe('replaced\n');
      expect(rec.fs.readdirSync(DIR)).toEqual(['checkpoint.json']);
    });

    const { syncDir } = subject;
    if (syncDir) {
      it('fsyncs the folder on Linux and macOS, and skips it on Windows, which cannot open a folder', () => {
        for (const [platform, expected] of [['linux', 1], ['darwin', 1], ['win32', 0]] as const) {
          const { rec } = volume();
          syncDir(rec.fs, DIR, platform);
          expect(rec.ops.filter((op) => op.kind === 'fsync' && op.dir).length, platform).toBe(expected);
        }
      });
    }
  });
}
