// The credentials every test target is configured with: the same API_TOKENS and
// SCANNER_SIGNING_KEY on Node, in the fast tier and on the Worker (vitest.config.ts binds
// API_TOKENS for the workers project from here, through test/workers/support/tokens.ts).
// No imports: the config loader and the workerd tests read it too.

export const TOKENS = {
  admin: "test-admin-token-0123456789",
  ingest: "test-ingest-token-0123456789",
  reader: "test-reader-token-0123456789",
} as const;

export const API_TOKENS = Object.entries(TOKENS)
  .map(([role, token]) => `${role}:${token}`)
  .join(",");

/** SCANNER_SIGNING_KEY of every target. */
export const SIGNING_KEY = "test-scanner-signing-key-0123456789abcdef";

/** CORS_ORIGINS of the HTTP contract's targets: the one origin whose pages may call them. */
export const CORS_ORIGIN = "https://ops.veritix.example";
