// Progress as the course prints it on every checkpoint line: "line 8 (38.1%)".
export function percent(done: number, total: number): string {
  return `${(total === 0 ? 100 : (done / total) * 100).toFixed(1)}%`;
}
