import { httpSuite } from "./http-suite.js";

httpSuite("postgres");
