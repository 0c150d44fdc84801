import { sqliteTestStore } from "../support/stores.js";
import { storeContract } from "./store-contract.js";

storeContract("better-sqlite3", sqliteTestStore);
