// The recording file system: node:fs's sync API over a memfs volume, where every operation
// that changes the volume is logged in order, numbered, and can be the crash point.
//
// A crash at operation k means: operations 0..k-1 happened, k did not (or, torn, only a
// prefix of its bytes reached the file). The volume is snapshotted at that instant, before
// any `catch` or `finally` in the tool can tidy up; from then on every call throws, as if
// the process were gone.
import * as nodeFs from 'node:fs';
import { createFsFromVolume, type Volume } from 'memfs';
import { DurabilityModel, type PowerLossKind } from './durability.ts';
import { fsError, type Faults } from './faults.ts';
import { snapshotVolume, type Snapshot } from './volume.ts';

export interface Operation {
  seq: number;
  kind: 'open' | 'write' | 'writeFile' | 'appendFile' | 'truncate' | 'fsync' | 'rename' | 'unlink' | 'rm' | 'mkdir' | 'link' | 'copyFile';
  path: string;
  /** rename/link/copy target */
  to?: string;
  bytes?: number;
  dir?: boolean;
}

/** Thrown at the crash point and by every call after it. Not an Error a tool should handle. */
export class SimulatedCrash extends Error {
  constructor(reason: string) {
    super(`simulated crash: ${reason}`);
    this.name = 'SimulatedCrash';
  }
}

export interface CrashPoint {
  /** crash before this operation (0-based) */
  at: number;
  /** apply a prefix of the bytes of operation `at` first (only for writes of 2 bytes or more) */
  torn?: boolean;
  /** the volume left is what a power loss of this kind leaves, not what the process saw */
  powerLoss?: PowerLossKind;
}

/** The parts of node:fs the course's tools use (all sync: simple to read, simple to crash). */
export type SyncFs = typeof nodeFs;

interface FdInfo {
  path: string;
  dir: boolean;
}

const WRITE_FLAG = /[wa+]/;

export class RecordingFs {
  readonly ops: Operation[] = [];
  /** The volume at the crash instant, once a crash has happened. */
  crashSnapshot: Snapshot | undefined;
  readonly fs: SyncFs;
  private readonly inner: ReturnType<typeof createFsFromVolume>;
  private readonly model: DurabilityModel;
  private readonly fds = new Map<number, FdInfo>();
  private dead = false;
  private bytesWritten = 0;
  private renamesRefused = 0;

  constructor(
    readonly vol: Volume,
    private readonly crash: CrashPoint | undefined = undefined,
    private readonly faults: Faults = {},
  ) {
    this.inner = createFsFromVolume(vol);
    this.model = new DurabilityModel(snapshotVolume(vol));
    this.fs = this.build();
  }

  get crashed(): boolean {
    return this.dead;
  }

  /** Crash right now (what `--simulate-crash` does in-process): snapshot, then die. */
  crashNow(reason = 'crash requested'): never {
    this.crashSnapshot ??= snapshotVolume(this.vol);
    this.dead = true;
    throw new SimulatedCrash(reason);
  }

  /** The volume a power loss right now would leave. */
  powerLossImage(kind: PowerLossKind): Snapshot {
    return this.model.image(snapshotVolume(this.vol), kind);
  }

  /** The bytes of `path` as the volume stands (undefined for a folder or a missing file). */
  private current = (path: string): Buffer | undefined =>
    this.inner.existsSync(path) && !this.inner.statSync(path).isDirectory()
      ? Buffer.from(this.inner.readFileSync(path) as Buffer)
      : undefined;

  private alive(): void {
    if (this.dead) throw new SimulatedCrash('the process is gone');
  }

  /** Every change goes through here: count it, crash before it if asked, inject faults. */
  private step<T>(op: Omit<Operation, 'seq'>, apply: () => T, tear?: () => void): T {
    this.alive();
    const seq = this.ops.length;
    if (this.crash && seq === this.crash.at) {
      if (this.crash.torn && tear) tear();
      const now = snapshotVolume(this.vol);
      this.crashSnapshot = this.crash.powerLoss ? this.model.image(now, this.crash.powerLoss) : now;
      this.dead = true;
      throw new SimulatedCrash(`before operation ${seq} (${op.kind} ${op.path})`);
    }
    this.ops.push({ seq, ...op });
    return apply();
  }

  private checkAccess(syscall: string, ...paths: string[]): void {
    for (const p of paths) if (this.faults.eacces?.(p)) throw fsError('EACCES', syscall, p);
  }

  private checkSpace(bytes: number, syscall: string): void {
    const limit = this.faults.enospcAfterBytes;
    if (limit !== undefined && this.bytesWritten + bytes > limit) throw fsError('ENOSPC', syscall);
    this.bytesWritten += bytes;
  }

  private isDir(path: string): boolean {
    return this.inner.existsSync(path) && this.inner.statSync(path).isDirectory();
  }

  private pathOfFd(fd: number): FdInfo {
    const info = this.fds.get(fd);
    if (!info) throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' });
    return info;
  }

  private build(): SyncFs {
    const inner = this.inner as unknown as SyncFs;
    const self = this;
    const toBytes = (data: string | NodeJS.ArrayBufferView, enc?: BufferEncoding): Buffer =>
      typeof data === 'string' ? Buffer.from(data, enc ?? 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const encOf = (options: unknown): BufferEncoding | undefined =>
      typeof options === 'string' ? (options as BufferEncoding) : ((options as { encoding?: BufferEncoding } | undefined)?.encoding ?? undefined);

    const fs = {
      constants: nodeFs.constants,

      openSync(path: string, flags: string | number = 'r', mode?: number): number {
        const f = typeof flags === 'number' ? flags : flags;
        const mutating =
          typeof f === 'number' ? (f & (nodeFs.constants.O_CREAT | nodeFs.constants.O_TRUNC | nodeFs.constants.O_WRONLY | nodeFs.constants.O_RDWR)) !== 0 : WRITE_FLAG.test(f);
        const dir = self.isDir(path);
        if (!mutating) {
          self.alive();
          const fd = inner.openSync(path, flags, mode);
          self.fds.set(fd, { path, dir });
          return fd;
        }
        return self.step({ kind: 'open', path }, () => {
          self.checkAccess('open', path);
          const existed = inner.existsSync(path);
          const fd = inner.openSync(path, flags, mode);
          if (!existed) self.model.created(path, self.current);
          self.fds.set(fd, { path, dir });
          return fd;
        });
      },

      closeSync(fd: number): void {
        self.alive();
        self.fds.delete(fd);
        inner.closeSync(fd);
      },

      writeSync(fd: number, data: string | NodeJS.ArrayBufferView, a?: unknown, b?: unknown, c?: unknown): number {
        let bytes: Buffer;
        let position: number | null | undefined;
        if (typeof data === 'string') {
          bytes = Buffer.from(data, (b as BufferEncoding | undefined) ?? 'utf8');
          position = a as number | null | undefined;
        } else {
          const all = toBytes(data);
          const offset = (a as number | undefined) ?? 0;
          const length = (b as number | undefined) ?? all.length - offset;
          bytes = all.subarray(offset, offset + length);
          position = c as number | null | undefined;
        }
        const { path } = self.pathOfFd(fd);
        return self.step(
          { kind: 'write', path, bytes: bytes.length },
          () => {
            self.checkAccess('write', path);
            self.checkSpace(bytes.length, 'write');
            return inner.writeSync(fd, bytes, 0, bytes.length, position ?? null);
          },
          bytes.length >= 2 ? () => inner.writeSync(fd, bytes, 0, Math.floor(bytes.length / 2), position ?? null) : undefined,
        );
      },

      writeFileSync(file: string | number, data: string | NodeJS.ArrayBufferView, options?: unknown): void {
        const bytes = toBytes(data, encOf(options));
        if (typeof file === 'number') {
          fs.writeSync(file, bytes);
          return;
        }
        const existed = inner.existsSync(file);
        self.step(
          { kind: 'writeFile', path: file, bytes: bytes.length },
          () => {
            self.checkAccess('open', file);
            self.checkSpace(bytes.length, 'write');
            inner.writeFileSync(file, bytes);
            if (!existed) self.model.created(file, self.current);
          },
          bytes.length >= 2
            ? () => {
                inner.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
                if (!existed) self.model.created(file, self.current);
              }
            : undefined,
        );
      },

      appendFileSync(file: string, data: string | NodeJS.ArrayBufferView, options?: unknown): void {
        const bytes = toBytes(data, encOf(options));
        const existed = inner.existsSync(file);
        self.step(
          { kind: 'appendFile', path: file, bytes: bytes.length },
          () => {
            self.checkAccess('open', file);
            self.checkSpace(bytes.length, 'write');
            inner.appendFileSync(file, bytes);
            if (!existed) self.model.created(file, self.current);
          },
          bytes.length >= 2
            ? () => {
                inner.appendFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
                if (!existed) self.model.created(file, self.current);
              }
            : undefined,
        );
      },

      ftruncateSync(fd: number, len = 0): void {
        const { path } = self.pathOfFd(fd);
        self.step({ kind: 'truncate', path, bytes: len }, () => {
          self.checkAccess('ftruncate', path);
          inner.ftruncateSync(fd, len);
        });
      },

      truncateSync(path: string, len = 0): void {
        self.step({ kind: 'truncate', path, bytes: len }, () => {
          self.checkAccess('truncate', path);
          inner.truncateSync(path, len);
        });
      },

      fsyncSync(fd: number): void {
        const { path, dir } = self.pathOfFd(fd);
        self.step({ kind: 'fsync', path, dir }, () => {
          const eio = self.faults.eioOnFsync;
          if (eio === true || (typeof eio === 'function' && eio(path))) throw fsError('EIO', 'fsync', path);
          if (dir) self.model.dirSynced(path);
          else {
            const ino = self.model.inodeOf(path);
            const bytes = self.current(path);
            if (ino !== undefined && bytes) self.model.fileSynced(ino, bytes);
          }
        });
      },

      fdatasyncSync(fd: number): void {
        fs.fsyncSync(fd);
      },

      renameSync(from: string, to: string): void {
        self.step({ kind: 'rename', path: from, to }, () => {
          self.checkAccess('rename', from, to);
          const busy = self.faults.renameRefused;
          if (busy && self.renamesRefused < busy.times) {
            self.renamesRefused++;
            throw fsError(busy.code, 'rename', from);
          }
          inner.renameSync(from, to);
          self.model.renamed(from, to, self.current);
          for (const info of self.fds.values()) if (info.path === from) info.path = to;
        });
      },

      unlinkSync(path: string): void {
        self.step({ kind: 'unlink', path }, () => {
          self.checkAccess('unlink', path);
          const before = self.current(path);
          inner.unlinkSync(path);
          self.model.unlinked(path, () => before);
        });
      },

      rmSync(path: string, options?: nodeFs.RmOptions): void {
        self.step({ kind: 'rm', path }, () => {
          self.checkAccess('rm', path);
          const before = self.current(path);
          inner.rmSync(path, options);
          if (before) self.model.unlinked(path, () => before);
        });
      },

      mkdirSync(path: string, options?: nodeFs.MakeDirectoryOptions): string | undefined {
        return self.step({ kind: 'mkdir', path }, () => {
          self.checkAccess('mkdir', path);
          return inner.mkdirSync(path, options) as string | undefined;
        });
      },

      linkSync(existing: string, path: string): void {
        self.step({ kind: 'link', path: existing, to: path }, () => {
          self.checkAccess('link', path);
          inner.linkSync(existing, path);
          self.model.linked(existing, path, self.current);
        });
      },

      copyFileSync(from: string, to: string, mode?: number): void {
        self.step({ kind: 'copyFile', path: from, to }, () => {
          self.checkAccess('copyfile', to);
          inner.copyFileSync(from, to, mode);
          self.model.created(to, self.current);
        });
      },

      accessSync(path: string, mode?: number): void {
        self.alive();
        if (mode !== undefined && mode & nodeFs.constants.W_OK) self.checkAccess('access', path);
        inner.accessSync(path, mode);
      },
    };

    // Reads change nothing; they only have to stop working once the process is "dead".
    for (const name of ['readSync', 'readFileSync', 'existsSync', 'statSync', 'lstatSync', 'fstatSync', 'readdirSync', 'realpathSync'] as const) {
      (fs as Record<string, unknown>)[name] = (...args: unknown[]) => {
        self.alive();
        return (inner[name] as (...a: unknown[]) => unknown)(...args);
      };
    }
    // Anything not modelled fails loudly rather than reaching the real disk.
    return new Proxy(fs, {
      get(target, prop) {
        if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
        throw new Error(`the kit's recording fs does not model fs.${String(prop)}; add it to test/kit/recording-fs.ts`);
      },
    }) as unknown as SyncFs;
  }
}
