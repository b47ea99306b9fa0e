// When to save a checkpoint: every n lines (--batch-size) or once enough time has passed
// (--checkpoint-every-ms). Only *when* changes, never *what*: the output is one line per input
// line whatever the cadence, so both give the same bytes (G5). The clock is deps.now, so a
// test can move time at will.
export type Cadence = { by: 'count'; batchSize: number } | { by: 'time'; everyMs: number };

export interface CadenceTimer {
  /** one more line is in the output; is a checkpoint due now? */
  lineDone(): boolean;
  /** a checkpoint was just saved: start counting again */
  saved(): void;
}

export function cadenceTimer(cadence: Cadence, now: () => Date): CadenceTimer {
  let lines = 0;
  let since = cadence.by === 'time' ? now().getTime() : 0;
  return {
    lineDone() {
      lines++;
      if (cadence.by === 'count') return lines >= cadence.batchSize;
      return now().getTime() - since >= cadence.everyMs;
    },
    saved() {
      lines = 0;
      if (cadence.by === 'time') since = now().getTime();
    },
  };
}

export function describeCadence(cadence: Cadence): string {
  return cadence.by === 'count' ? `a checkpoint every ${cadence.batchSize} lines` : `a checkpoint every ${cadence.everyMs} ms`;
}
