// Dialect-independent parts of storing a batch: repeated uuids inside one batch, and
// turning what the database reported back into per-record outcomes in input order.
import type { InsertOutcome } from "./types.js";

/** Keeps the first record of each uuid; later ones in the same batch are duplicates. */
export function firstOfEachUuid<T>(
  rows: T[],
  uuidOf: (row: T) => string = (r) => (r as { uuid: string }).uuid,
): T[] {
  if (rows.length < 2) return rows;
  const seen = new Set<string>();
  return rows.filter((r) => {
    const uuid = uuidOf(r);
    return !seen.has(uuid) && seen.add(uuid);
  });
}

/**
 * `inserted`: uuid -> id of the rows this batch stored; `existing`: uuid -> id of rows
 * stored before. Every uuid of the batch must be in one of the two.
 */
export function outcomes(
  rows: { uuid: string }[],
  inserted: Map<string, number>,
  existing: Map<string, number>,
): InsertOutcome[] {
  const answered = new Set<string>();
  return rows.map(({ uuid }) => {
    const newId = answered.has(uuid) ? undefined : inserted.get(uuid);
    answered.add(uuid);
    if (newId !== undefined) return { id: newId, uuid, duplicate: false };
    const id = inserted.get(uuid) ?? existing.get(uuid);
    if (id === undefined) throw new Error(`store lost track of record ${uuid}`);
    return { id, uuid, duplicate: true };
  });
}

export function idMap(rows: { id: number | string | bigint; uuid: string }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.uuid, Number(r.id)]));
}
