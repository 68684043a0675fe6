// The one error type promotion and rollback throw. Codes are assigned where the failure is
// recognised (plan rules here, git output in src/git/promotion), so the CLI and the UI switch on
// `code` and show `hint` as the next step; they never parse message text.

export type PromotionErrorCode =
  /** Source and target are the same environment, or read the same files. */
  | 'sameEnvironment'
  /** An environment name that does not exist. */
  | 'unknownEnvironment'
  /** The source or target branch (or folder) cannot be found. */
  | 'sourceMissing'
  | 'targetMissing'
  /** The rollback commit is not in the environment's history. */
  | 'unknownCommit'
  /** Nothing selected, or nothing differs. */
  | 'nothingToPromote'
  /** Merge or rebase stopped on conflicting changes. */
  | 'conflict'
  /** The remote refused the push (branch protection, a hook) or it stayed non-fast-forward. */
  | 'pushRejected'
  /** The repository has no remote to push to. */
  | 'noRemote'
  /** Git could not authenticate to the remote. */
  | 'unauthorized'
  /** The remote could not be reached. */
  | 'unreachable'
  /** Cancelled by the user before the push. */
  | 'cancelled'
  /** The plan would change the target's identity (names, namespaces, objects) and the user did not allow it. */
  | 'identityChange'
  /** A layout we cannot promote (environments in different repositories). */
  | 'unsupported'
  | 'failed';

export class PromotionError extends Error {
  override readonly name = 'PromotionError';

  constructor(
    readonly code: PromotionErrorCode,
    message: string,
    /** What to do next, in a sentence. */
    readonly hint: string = '',
  ) {
    super(message);
  }

  /** `message — hint`, for the CLI and notifications. */
  describe(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}
