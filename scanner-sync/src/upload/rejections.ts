// Which sent item each of the server's rejections names: by kind and index within its own
// array, cross-checked with the uuid. An answer that does not fit the batch settles nothing.
import type { Rejected } from "../buffer/outbox.js";
import type { PendingItem } from "../buffer/types.js";
import type { SyncResponse } from "../wire.js";

export function matchRejections(
  sent: PendingItem[],
  response: SyncResponse,
): { rejected: Rejected[]; problem: string | null } {
  const byKind = {
    scan: sent.filter((i) => i.kind === "scan"),
    invalid_attempt: sent.filter((i) => i.kind === "invalid_attempt"),
  };
  const rejected: Rejected[] = [];
  const seen = new Set<number>();
  for (const r of response.rejected) {
    const item = byKind[r.kind][r.index];
    if (!item || (r.uuid !== null && r.uuid.toLowerCase() !== item.uuid)) {
      return {
        rejected: [],
        problem: `a rejection names ${r.kind} #${r.index} (${r.uuid}), which was not sent`,
      };
    }
    if (!seen.has(item.seq)) rejected.push({ seq: item.seq, issues: r.issues });
    seen.add(item.seq);
  }
  const answered = response.accepted + response.duplicates + rejected.length;
  if (answered !== sent.length) {
    return { rejected: [], problem: `${sent.length} items sent, ${answered} answered` };
  }
  return { rejected, problem: null };
}
