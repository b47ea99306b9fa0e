// Volumes for tests: seed a memfs volume from a plain object, snapshot it byte for byte,
// and rebuild a volume from a snapshot (the state a resumed run starts from).
import { Volume } from 'memfs';
import { dirname } from 'node:path';

/** Every file of a volume, path -> bytes, plus every directory (so empty ones survive). */
export interface Snapshot {
  files: Map<string, Buffer>;
  dirs: Set<string>;
}

export type SeedFiles = Record<string, string | Buffer>;

/** A memfs volume holding `files` (absolute paths); parent directories are created. */
export function seedVolume(files: SeedFiles, dirs: string[] = []): Volume {
  const vol = new Volume();
  for (const dir of dirs) vol.mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    vol.mkdirSync(dirname(path), { recursive: true });
    vol.writeFileSync(path, content);
  }
  return vol;
}

export function snapshotVolume(vol: Volume, root = '/'): Snapshot {
  const snap: Snapshot = { files: new Map(), dirs: new Set() };
  const walk = (dir: string): void => {
    snap.dirs.add(dir);
    for (const name of vol.readdirSync(dir) as string[]) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (vol.statSync(path).isDirectory()) walk(path);
      else snap.files.set(path, Buffer.from(vol.readFileSync(path) as Buffer));
    }
  };
  walk(root);
  return snap;
}

export function volumeFromSnapshot(snap: Snapshot): Volume {
  const vol = new Volume();
  for (const dir of [...snap.dirs].sort()) vol.mkdirSync(dir, { recursive: true });
  for (const [path, content] of snap.files) vol.writeFileSync(path, content);
  return vol;
}

/** Human-readable differences between two snapshots; empty when they are byte-identical. */
export function diffSnapshots(expected: Snapshot, actual: Snapshot): string[] {
  const out: string[] = [];
  for (const [path, bytes] of expected.files) {
    const got = actual.files.get(path);
    if (!got) out.push(`missing ${path}`);
    else if (!got.equals(bytes)) out.push(`differs ${path} (${got.length} bytes, expected ${bytes.length})`);
  }
  for (const path of actual.files.keys()) if (!expected.files.has(path)) out.push(`unexpected ${path}`);
  return out;
}

/** A stable key for a snapshot, used to count distinct crash states. */
export function snapshotKey(snap: Snapshot): string {
  const parts = [...snap.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, b]) => `${p}:${b.toString('base64')}`);
  return parts.join('|');
}
