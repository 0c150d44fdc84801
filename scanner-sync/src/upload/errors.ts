// Why a sync stopped. Neither loses anything: the items stay in the outbox.
export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Trying again cannot help (bad token, wrong scanner, wrong URL): someone must fix it. */
export class SyncFatal extends SyncError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The server stayed unreachable or overloaded through every retry of this run. */
export class SyncUnavailable extends SyncError {}
