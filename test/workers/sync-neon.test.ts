import { workerSyncSuite } from "./sync-suite.js";

workerSyncSuite("postgres");
