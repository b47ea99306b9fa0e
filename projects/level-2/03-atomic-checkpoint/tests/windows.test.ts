// The Windows branch of the durable write: a rename refused for a moment is tried again, and
// the folder fsync Windows cannot do is skipped. The platform is passed in, so this runs here.
import { describeWindowsRename } from '../../../../test/kit/windows-rename.ts';
import { syncDir, writeFileDurably } from '../src/durable-write.ts';
import { RENAME_RETRY_DELAYS_MS, renameWithRetry } from '../src/rename-with-retry.ts';

describeWindowsRename({
  renameWithRetry,
  delays: RENAME_RETRY_DELAYS_MS,
  replace: writeFileDurably,
  syncDir,
});
