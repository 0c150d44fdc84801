import { sqliteTestStore } from "../support/stores.js";
import { storeContract } from "./store-contract.js";

// The server writes on a thread of its own; the same writer also runs inline.
storeContract("better-sqlite3 (writer thread)", () => sqliteTestStore("thread"));
storeContract("better-sqlite3 (inline writer)", () => sqliteTestStore("inline"));
