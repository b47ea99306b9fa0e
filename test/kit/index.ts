// The course's test kit (COURSE.md section 8). Every project's suite imports from here.
export * from './volume.ts';
export * from './faults.ts';
export * from './durability.ts';
export * from './recording-fs.ts';
export * from './crash-sweep.ts';
export * from './corrupt-checkpoints.ts';
export * from './child-process.ts';
