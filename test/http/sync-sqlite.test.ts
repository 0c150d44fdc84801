import { syncSuite } from "./sync-suite.js";

syncSuite("sqlite");
