import { httpSuite } from "./http-suite.js";

httpSuite("sqlite");
