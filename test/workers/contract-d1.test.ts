import { storeContract } from "../contract/store-contract.js";
import { d1TestStore } from "./support/d1.js";

storeContract("d1", d1TestStore);
