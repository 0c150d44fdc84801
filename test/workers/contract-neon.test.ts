import { storeContract } from "../contract/store-contract.js";
import { neonDatabaseForFile, neonTestStore } from "./support/neon.js";

storeContract("postgres (neon serverless)", neonTestStore(neonDatabaseForFile()));
