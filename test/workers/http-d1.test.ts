import { workerHttpSuite } from "./http-suite.js";

workerHttpSuite("d1");
