// The partition rule: item i belongs to partition i mod P. It depends on the item's index and
// on P, which is fixed for a run and recorded in every checkpoint, and on nothing else: not on
// how many workers there are, not on which worker got there first. That is what lets a run
// crash on 4 workers and resume on 1 and still give the same bytes.
//
// Partition p holds items p, p+P, p+2P, ...; its checkpoint counts them by position: position
// k within partition p is item p + k*P of the input.

/** Which partition an item (by its index in the input) belongs to. */
export function partitionOf(index: number, partitions: number): number {
  return index % partitions;
}

/** The input index of the item at `position` within `partition`. */
export function indexAt(partition: number, position: number, partitions: number): number {
  return partition + position * partitions;
}

/** Split the items into `partitions` lists; list p holds partition p's items in index order. */
export function splitIntoPartitions<T>(items: readonly T[], partitions: number): T[][] {
  const lists: T[][] = Array.from({ length: partitions }, () => []);
  items.forEach((item, index) => lists[partitionOf(index, partitions)]!.push(item));
  return lists;
}
