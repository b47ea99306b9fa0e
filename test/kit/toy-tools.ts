// Two tiny tools for the kit's own tests: they count lines into a checkpoint, one writing it
// in place (as seed 003 and seed 000 do), one with temp file, fsync and rename.
import type { KitEnv } from './crash-sweep.ts';

const INPUT = '/data/input.txt';
const OUTPUT = '/data/total.txt';
const CHECKPOINT = '/data/checkpoint.json';

export const toyFiles = { [INPUT]: Array.from({ length: 12 }, (_, i) => `${i + 1}`).join('\n') + '\n' };

function load(env: KitEnv): { next: number; sum: number } {
  if (!env.fs.existsSync(CHECKPOINT)) return { next: 0, sum: 0 };
  return JSON.parse(env.fs.readFileSync(CHECKPOINT, 'utf8'));
}

function makeToy(save: (env: KitEnv, state: { next: number; sum: number }) => void) {
  return async (env: KitEnv): Promise<number> => {
    const numbers = env.fs.readFileSync(INPUT, 'utf8').trim().split('\n').map(Number);
    let state;
    try {
      state = load(env);
    } catch {
      env.log.push('checkpoint unreadable');
      return 65;
    }
    for (let i = state.next; i < numbers.length; i++) {
      state = { next: i + 1, sum: state.sum + numbers[i]! };
      if (state.next % 3 === 0) save(env, state);
    }
    writeAtomically(env, OUTPUT, `${state.sum}\n`);
    if (env.fs.existsSync(CHECKPOINT)) env.fs.unlinkSync(CHECKPOINT);
    syncDir(env);
    return 0;
  };
}

function syncDir(env: KitEnv): void {
  const fd = env.fs.openSync('/data', 'r');
  env.fs.fsyncSync(fd);
  env.fs.closeSync(fd);
}

function writeAtomically(env: KitEnv, path: string, text: string, sync = true): void {
  const fd = env.fs.openSync(`${path}.tmp`, 'w');
  env.fs.writeSync(fd, text);
  if (sync) env.fs.fsyncSync(fd);
  env.fs.closeSync(fd);
  env.fs.renameSync(`${path}.tmp`, path);
  if (sync) syncDir(env);
}

/** Writes the checkpoint over itself: a crash mid-write leaves a file that is not JSON. */
export const inPlaceToy = makeToy((env, state) => env.fs.writeFileSync(CHECKPOINT, JSON.stringify(state)));

/** Temp file and rename, but no fsync: survives a process crash, not a power loss. */
export const noFsyncToy = makeToy((env, state) => writeAtomically(env, CHECKPOINT, JSON.stringify(state), false));

/** Temp file, fsync, rename, fsync of the folder. */
export const atomicToy = makeToy((env, state) => writeAtomically(env, CHECKPOINT, JSON.stringify(state)));
