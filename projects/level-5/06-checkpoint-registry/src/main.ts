// The tool as a function: arguments in, exit code out. project.ts calls it with the real
// world; tests call it with their own.
import { parseArgs, type Parsed } from './args.ts';
import type { Deps } from './deps.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { listCommand } from './list-checkpoints.ts';
import { minePatterns } from './mine-patterns.ts';
import { explainDbError } from './registry.ts';
import { resumeMining } from './resume-mining.ts';

/** `parse` is yargs unless a test hands in a faster one (it runs the tool hundreds of times). */
export async function main(argv: string[], deps: Deps, parse: (argv: string[]) => Parsed = parseArgs): Promise<number> {
  let db = '';
  try {
    const parsed = parse(argv);
    if (parsed.kind === 'print') {
      deps.out(`${parsed.text}\n`);
      return EXIT.ok;
    }
    db = parsed.options.db;
    if (parsed.kind === 'list-checkpoints') {
      deps.out(listCommand(parsed.options, deps));
      return EXIT.ok;
    }
    const summary = parsed.kind === 'mine-patterns' ? await minePatterns(parsed.options, deps) : await resumeMining(parsed.options, deps);
    deps.out(`${JSON.stringify(summary)}\n`);
    return summary.status === 'interrupted' ? EXIT.interrupted : EXIT.ok;
  } catch (caught) {
    const error = explainDbError(caught, db);
    const code = exitCodeFor(error);
    // A bug gets its stack; every expected failure is one line that says what to do.
    deps.log(code === EXIT.bug ? `Unexpected error: ${(error as Error)?.stack ?? String(error)}` : `Error: ${(error as Error).message}`);
    if (code === EXIT.usage) deps.log('Run with --help for usage.');
    return code;
  }
}
