import { workerRetentionSuite } from "./retention-suite.js";

workerRetentionSuite("postgres");
