// A model of what survives a power loss, so the kit can build the states a crash of the
// whole machine leaves (COURSE.md section 8):
// - file data not yet fsynced may be lost (the page cache is gone);
// - a create, rename or unlink not yet made durable by an fsync of its directory may be undone.
// Files are tracked by inode, as a real file system does, so `fsync(tmp); rename(tmp, final)`
// keeps the synced data under the new name once the directory is synced.
// Simplification, written down: mkdir is treated as durable at once.
import { dirname } from 'node:path';
import type { Snapshot } from './volume.ts';

export type PowerLossKind = 'lose-unsynced-data' | 'undo-unsynced-names' | 'both';
export const POWER_LOSS_KINDS: PowerLossKind[] = ['lose-unsynced-data', 'undo-unsynced-names', 'both'];

export class DurabilityModel {
  private nextInode = 1;
  /** path -> inode, as the volume stands now */
  private names = new Map<string, number>();
  /** path -> inode, as a power loss would leave it */
  private durableNames = new Map<string, number>();
  /** inode -> bytes as of its last fsync */
  private durableData = new Map<number, Buffer>();
  /** inode -> last bytes of an inode no name points to any more (a power loss can bring the name back) */
  private orphanData = new Map<number, Buffer>();

  constructor(initial: Snapshot) {
    // What is on the volume before the run is durable.
    for (const [path, bytes] of initial.files) {
      const ino = this.nextInode++;
      this.names.set(path, ino);
      this.durableNames.set(path, ino);
      this.durableData.set(ino, Buffer.from(bytes));
    }
  }

  inodeOf(path: string): number | undefined {
    return this.names.get(path);
  }

  created(path: string, current: (p: string) => Buffer | undefined): number {
    this.dropName(path, current);
    const ino = this.nextInode++;
    this.names.set(path, ino);
    return ino;
  }

  linked(existing: string, path: string, current: (p: string) => Buffer | undefined): void {
    const ino = this.names.get(existing);
    if (ino === undefined) return;
    this.dropName(path, current);
    this.names.set(path, ino);
  }

  renamed(from: string, to: string, current: (p: string) => Buffer | undefined): void {
    const ino = this.names.get(from);
    if (ino === undefined) return;
    this.dropName(to, current);
    this.names.delete(from);
    this.names.set(to, ino);
  }

  unlinked(path: string, current: (p: string) => Buffer | undefined): void {
    this.dropName(path, current);
  }

  /** fsync of a file: its current bytes become durable. */
  fileSynced(ino: number, bytes: Buffer): void {
    this.durableData.set(ino, Buffer.from(bytes));
  }

  /** fsync of a directory: its entries, as they stand, become durable. */
  dirSynced(dir: string): void {
    for (const path of [...this.durableNames.keys()]) if (dirname(path) === dir) this.durableNames.delete(path);
    for (const [path, ino] of this.names) if (dirname(path) === dir) this.durableNames.set(path, ino);
  }

  /** The volume a power loss of `kind` leaves, given the volume as it stands. */
  image(now: Snapshot, kind: PowerLossKind): Snapshot {
    const undoNames = kind !== 'lose-unsynced-data';
    const loseData = kind !== 'undo-unsynced-names';
    const currentOf = (ino: number): Buffer => {
      for (const [path, i] of this.names) if (i === ino) return now.files.get(path) ?? Buffer.alloc(0);
      return this.orphanData.get(ino) ?? Buffer.alloc(0);
    };
    const files = new Map<string, Buffer>();
    for (const [path, ino] of undoNames ? this.durableNames : this.names) {
      // Data never fsynced is lost: the file is there with no bytes (as ext4 leaves it).
      files.set(path, loseData ? (this.durableData.get(ino) ?? Buffer.alloc(0)) : currentOf(ino));
    }
    return { files, dirs: new Set(now.dirs) };
  }

  private dropName(path: string, current: (p: string) => Buffer | undefined): void {
    const ino = this.names.get(path);
    if (ino === undefined) return;
    this.names.delete(path);
    if (![...this.names.values()].includes(ino)) this.orphanData.set(ino, current(path) ?? Buffer.alloc(0));
  }
}
