import { workerHttpSuite } from "./http-suite.js";

workerHttpSuite("postgres");
