// Progress as the course prints it on every checkpoint line: "index 120 (57.1%)".
export function percent(done: number, total: number): string {
  return `${(total === 0 ? 100 : (done / total) * 100).toFixed(1)}%`;
}
