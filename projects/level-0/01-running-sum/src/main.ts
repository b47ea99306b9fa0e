// main(argv, deps): the whole tool, with the outside world handed in. It parses the flags,
// runs the command, prints the JSON summary, and turns every error into its exit code in one
// place. It never calls process.exit: project.ts sets process.exitCode from what it returns.
import { parseArgs } from './args.ts';
import type { Deps } from './deps.ts';
import { EXIT, describeError, exitCodeFor } from './exit-codes.ts';
import { generate } from './generate.ts';
import { runningSum } from './running-sum.ts';

export type { Deps } from './deps.ts';

export async function main(argv: string[], deps: Deps): Promise<number> {
  try {
    const command = await parseArgs(argv);
    if (command.kind === 'print') {
      deps.out(command.text);
      return EXIT.ok;
    }
    const summary = command.kind === 'generate' ? generate(deps, command.options) : await runningSum(deps, command.options);
    deps.out(JSON.stringify(summary) + '\n');
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    deps.log(describeError(error));
    if (code === EXIT.usage) deps.log('Run with --help for usage.');
    return code;
  }
}
