// The periodic update: "updated every N chunks (configurable)". Chunks are counted per stage,
// and the count is stored with the checkpoint, so a resumed run keeps the same rhythm. The
// end of each stage is always saved as well (src/mine.ts), whatever the count.
export function isCheckpointDue(chunkIndex: number, every: number): boolean {
  return chunkIndex % every === 0;
}
