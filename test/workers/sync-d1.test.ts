import { workerSyncSuite } from "./sync-suite.js";

workerSyncSuite("d1");
