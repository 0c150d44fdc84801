// What the "workers" project's globalSetup (./workers-global-setup.ts, in Node) provides
// to the tests inside workerd (inject).
export {};

declare module "vitest" {
  export interface ProvidedContext {
    /** postgresql:// URL of the server's maintenance database, to create and drop databases. */
    neonAdminUrl: string;
    /** A database with drizzle/pg applied; each test file clones its own from it. */
    neonTemplateDatabase: string;
    /** host:port of the WebSocket proxy (the Worker's NEON_WS_PROXY). */
    neonWsProxy: string;
  }
}
