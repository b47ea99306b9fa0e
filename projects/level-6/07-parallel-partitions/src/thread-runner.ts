// The partitions on real worker threads (node:worker_threads): up to N threads, each taking
// the next partition from the queue until none is left. Threads share no objects, only
// messages and one small SharedArrayBuffer (src/thread-protocol.ts).
import { Worker } from 'node:worker_threads';
import { CorruptCheckpointError, IoError, OutputError } from './errors.ts';
import type { PartitionResult, PartitionRunner, PartitionTask } from './partition-task.ts';
import { SLOT, SLOTS, type WorkerData, type WorkerMessage } from './thread-protocol.ts';

// Worker files are .ts, and Node 20 cannot start a Worker from a .ts file: the tsx loader that
// `npx tsx` or `node --import tsx` registers in the main thread does not reach new threads,
// and passing execArgv: ['--import', 'tsx'] to the Worker does not help either (the
// thread still fails with ERR_UNKNOWN_FILE_EXTENSION; nodejs/node#47747, privatenumber/tsx#354).
// So each thread starts from a two-line JavaScript bootstrap that loads the .ts file through
// tsx's API. This works the same under `npx tsx project.ts`, `node --import tsx project.ts`
// and inside vitest (which runs this file through its own transform, where import.meta.resolve
// still answers).
const ENTRY = new URL('./partition-thread.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${JSON.stringify(ENTRY)}, ${JSON.stringify(ENTRY)}));`;

/** Errors cross the thread boundary as plain data; turn the named ones back into their class. */
const KNOWN_ERRORS: Record<string, new (message: string) => Error> = { IoError, OutputError, CorruptCheckpointError };

function rebuild(error: { name: string; message: string; stack?: string }): Error {
  const Known = KNOWN_ERRORS[error.name];
  if (Known) return new Known(error.message);
  const bug = new Error(error.message);
  bug.stack = error.stack ?? bug.stack;
  return bug;
}

export const threadRunner: PartitionRunner = (tasks, options, hooks) => {
  const shared = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const slots = new Int32Array(shared);
  const queue: PartitionTask[] = [...tasks];
  const results: PartitionResult[] = [];
  let failure: Error | undefined;

  // Signals arrive on the main thread only: copy Ctrl+C into the shared STOP slot.
  const watch = setInterval(() => {
    if (options.interrupt.requested) Atomics.store(slots, SLOT.STOP, 1);
  }, 10);

  const runThread = () =>
    new Promise<void>((resolve) => {
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { shared, simulateCrash: options.simulateCrash } satisfies WorkerData });
      const next = () => {
        const task = Atomics.load(slots, SLOT.STOP) === 1 ? undefined : queue.shift();
        if (task) worker.postMessage(task);
        else void worker.terminate();
      };
      const fail = (error: Error) => {
        failure ??= error;
        Atomics.store(slots, SLOT.STOP, 1); // the other partitions stop at their next checkpoint
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'event') hooks.onEvent(message.event);
        else if (message.kind === 'crash-point') hooks.onCrashPoint();
        else if (message.kind === 'result') {
          results.push(message.result);
          next();
        } else {
          fail(rebuild(message.error));
          void worker.terminate();
        }
      });
      worker.on('error', (error) => fail(error)); // the thread itself failed (it could not load, say)
      worker.on('exit', () => resolve());
      next();
    });

  return Promise.all(Array.from({ length: Math.min(options.workers, tasks.length) }, runThread)).then(() => {
    clearInterval(watch);
    if (failure) throw failure;
    return results;
  });
};
