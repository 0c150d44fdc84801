// Tokens of the Worker under test, bound as API_TOKENS by vitest.config.ts (the
// production config has none: without them the Worker fails closed).
export const TOKENS = {
  admin: "worker-admin-token-0123456789",
  ingest: "worker-ingest-token-0123456789",
  reader: "worker-reader-token-0123456789",
} as const;

export const API_TOKENS = Object.entries(TOKENS)
  .map(([role, token]) => `${role}:${token}`)
  .join(",");
