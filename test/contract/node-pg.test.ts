import { pgTestStore } from "../support/stores.js";
import { storeContract } from "./store-contract.js";

storeContract("postgres (node-postgres)", pgTestStore);
