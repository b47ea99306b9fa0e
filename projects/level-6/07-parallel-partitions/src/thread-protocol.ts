// What the main thread and a worker thread share: the messages a worker posts back, what it
// is started with, and the slots of the one SharedArrayBuffer they both see:
//   ITEMS   items processed in this run, over all threads (for --simulate-crash)
//   STOP    1 once Ctrl+C arrived or a partition failed: finish the batch, save, stop
//   PARKED  a thread that reached the crash point waits on it until the process dies
import type { PartitionEvent, PartitionResult } from './partition-task.ts';

export const SLOT = { ITEMS: 0, STOP: 1, PARKED: 2 } as const;
export const SLOTS = 3;

export type WorkerMessage =
  | { kind: 'event'; event: PartitionEvent }
  | { kind: 'result'; result: PartitionResult }
  | { kind: 'crash-point' }
  | { kind: 'error'; error: { name: string; message: string; stack?: string } };

export interface WorkerData {
  shared: SharedArrayBuffer;
  simulateCrash: number | undefined;
}
