// The run id names a run, never a file: it goes into each checkpoint so you can tell which run
// saved it, and a resumed run keeps it. (The seed named the checkpoint file after a fresh run id
// each time, so a restarted process never found its own checkpoint.)
export function newRunId(now: Date): string {
  return `run-${now.toISOString()}`;
}
