// The tool as a function: flags in, exit code out. project.ts calls it with the real world;
// tests call it with an in-memory one.
import { parseArgs } from './args.ts';
import type { Deps } from './deps.ts';
import { FlagMismatchError } from './errors.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { run } from './run.ts';

export async function main(argv: string[], deps: Deps): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'print') {
      deps.out(`${parsed.text}\n`);
      return EXIT.ok;
    }
    const summary = await run(parsed.options, deps);
    deps.out(`${JSON.stringify(summary)}\n`);
    return summary.status === 'interrupted' ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    // A bug gets its stack; every expected failure is one line that says what to do.
    deps.log(code === EXIT.bug ? `Unexpected error: ${(error as Error)?.stack ?? String(error)}` : `Error: ${(error as Error).message}`);
    if (code === EXIT.usage && !(error instanceof FlagMismatchError)) deps.log('Run with --help for usage.');
    return code;
  }
}
