import { workerRetentionSuite } from "./retention-suite.js";

workerRetentionSuite("d1");
