// Deterministic record uuids: the same name always gives the same uuid, so loading the
// demo again stores nothing twice (the store dedupes by uuid).
import { createHash } from "node:crypto";

/**
 * A name-based UUID: the first 128 bits of SHA-256(name) with version 8 and the RFC 9562
 * variant set (RFC 9562 appendix B.2 shows exactly this use of version 8).
 */
export function namedUuid(name: string): string {
  const b = createHash("sha256").update(name).digest();
  b[6] = ((b[6] as number) & 0x0f) | 0x80;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString("hex", 0, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
