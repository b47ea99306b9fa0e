// Progress as the course prints it on every checkpoint line: "message 18 (69.0% of stage1, ...)".
export function percent(done: number, total: number): string {
  return `${(total === 0 ? 100 : (done / total) * 100).toFixed(1)}%`;
}
