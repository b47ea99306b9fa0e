// The Windows branch of the atomic write: a rename refused for a moment (a virus scanner
// holding the file) is tried again. The platform is passed in, so this runs on any machine.
import { describeWindowsRename } from '../../../../test/kit/windows-rename.ts';
import { writeFileAtomically } from '../src/atomic-write.ts';
import { RENAME_RETRY_DELAYS_MS, renameWithRetry } from '../src/rename-with-retry.ts';

describeWindowsRename({
  renameWithRetry,
  delays: RENAME_RETRY_DELAYS_MS,
  replace: writeFileAtomically,
});
