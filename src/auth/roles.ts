// Who may do what. `admin` may do everything; the others one job each.
export const ROLES = ["admin", "ingest", "reader", "scanner"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** Scanner tokens are bound to one device. */
  scannerId?: string;
  /**
   * An event-scoped reader token reads these events only; none: every event (API_TOKENS
   * entries, and the open server).
   */
  events?: readonly string[];
  /** A signed token's id (its `jti`): what a log may name. */
  tokenId?: string;
  /**
   * When a signed token was issued (to the ms): a scanner's tokens issued before its
   * revocation are refused. None: an API_TOKENS entry, never revoked one by one.
   */
  issuedAt?: Date;
}

export function allows(principal: Principal, needed: readonly Role[]): boolean {
  return principal.role === "admin" || needed.includes(principal.role);
}
