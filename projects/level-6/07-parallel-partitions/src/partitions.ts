// The partition rule: item i belongs to partition i mod P. It depends on the item's index and
// on P, which is fixed for a run and recorded in the manifest and every checkpoint, and on
// nothing else: not on how many workers there are, not on which worker got there first.
// That is what lets a run crash on 3 workers and resume on 1 and still give the same bytes.
//
// Partition p holds items p, p+P, p+2P, ...; its checkpoint counts them by position: position
// k within partition p is item p + k*P of the input.

export const MOD_RULE = 'index mod partitions';

/** The rule as plain data: recorded in the manifest, and sent to every worker thread with its task. */
export interface Partitioning {
  rule: typeof MOD_RULE;
  partitions: number;
}

/** Which partition an item (by its index in the input) belongs to. */
export function partitionOf(partitioning: Partitioning, index: number): number {
  return index % partitioning.partitions;
}

/** The input index of the item at `position` within `partition`. */
export function indexAt(partitioning: Partitioning, partition: number, position: number): number {
  return partition + position * partitioning.partitions;
}

/** Split the items into lists, one per partition; list p holds partition p's items in index order. */
export function splitIntoPartitions<T>(items: readonly T[], partitioning: Partitioning): T[][] {
  const lists: T[][] = Array.from({ length: partitioning.partitions }, () => []);
  items.forEach((item, index) => lists[partitionOf(partitioning, index)]!.push(item));
  return lists;
}
