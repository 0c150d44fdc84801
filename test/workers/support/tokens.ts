// Tokens of the Worker under test, bound as API_TOKENS by vitest.config.ts (the
// production config has none: without them the Worker fails closed). The same as every
// other target's (test/support/tokens.ts).
export { API_TOKENS, TOKENS } from "../../support/tokens.js";
