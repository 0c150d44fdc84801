// The store contract (test/contract/store-contract.ts) on the Workers drivers, inside
// workerd: D1, and Postgres through the Neon serverless driver.
import { describe } from "vitest";
import { type ContractDriver, storeContract } from "../contract/store-contract.js";
import { d1TestStore, d1UnmigratedStore } from "./support/d1.js";
import { neonBareStore, neonTestDatabase, neonTestStore } from "./support/neon.js";

const DRIVERS: { name: string; driver: () => ContractDriver }[] = [
  {
    name: "d1",
    driver: () => ({ name: "d1", open: d1TestStore, openUnmigrated: d1UnmigratedStore }),
  },
  {
    name: "postgres (neon serverless)",
    // Databases of this block's own: one migrated, one empty.
    driver: () => ({
      name: "postgres (neon serverless)",
      open: neonTestStore(neonTestDatabase()),
      openUnmigrated: neonBareStore(neonTestDatabase({ schema: false })),
    }),
  },
];

describe.each(DRIVERS)("store contract: $name", ({ driver }) => storeContract(driver()));
