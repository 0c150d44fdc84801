import { badInputSuite } from "./bad-input-suite.js";

badInputSuite("postgres");
