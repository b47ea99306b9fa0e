// A worker thread: it takes one partition at a time from the main thread, runs it with the
// real file system, and posts back events and the result. It never writes to the terminal
// (lines from several threads would interleave differently on every run); the main thread
// logs what it reports.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { PartitionEnv, PartitionTask } from './partition-task.ts';
import { processPartition } from './process-partition.ts';
import { SLOT, type WorkerData, type WorkerMessage } from './thread-protocol.ts';

const { shared, simulateCrash } = workerData as WorkerData;
const slots = new Int32Array(shared);
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

const env: PartitionEnv = {
  fs,
  now: () => new Date(),
  report: (event) => post({ kind: 'event', event }),
  itemProcessed: () => {
    // One counter for all threads: the n-th item of the run, whichever thread processes it.
    if (Atomics.add(slots, SLOT.ITEMS, 1) + 1 !== simulateCrash) return;
    // The main thread logs what came before and kills the process; this thread waits for it,
    // so it cannot write anything more, while the other threads carry on mid-batch.
    post({ kind: 'crash-point' });
    for (;;) Atomics.wait(slots, SLOT.PARKED, 0);
  },
  stopRequested: () => Atomics.load(slots, SLOT.STOP) === 1,
  pause: () => new Promise((resolve) => setImmediate(resolve)),
};

port.on('message', (task: PartitionTask) => {
  processPartition(task, env).then(
    (result) => post({ kind: 'result', result }),
    (error: Error) => post({ kind: 'error', error: { name: error.name, message: error.message, stack: error.stack } }),
  );
});
