// The store contract (./store-contract.ts) on every Node driver. The server writes SQLite
// on a thread of its own; the same writer also runs inline (in-memory databases, tools).
import { describe } from "vitest";
import { pgTestStore, pgUnmigratedStore, sqliteTestStore, sqliteUnmigratedStore } from "../support/stores.js";
import { type ContractDriver, storeContract } from "./store-contract.js";

const DRIVERS: ContractDriver[] = [
  {
    name: "better-sqlite3 (writer thread)",
    open: () => sqliteTestStore("thread"),
    openUnmigrated: () => sqliteUnmigratedStore("thread"),
  },
  {
    name: "better-sqlite3 (inline)",
    open: () => sqliteTestStore("inline"),
    openUnmigrated: () => sqliteUnmigratedStore("inline"),
  },
  { name: "node-postgres", open: pgTestStore, openUnmigrated: pgUnmigratedStore },
];

describe.each(DRIVERS)("store contract: $name", (driver) => storeContract(driver));
