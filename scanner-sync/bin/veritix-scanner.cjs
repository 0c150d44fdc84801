#!/usr/bin/env node
// The gate device's CLI as built by `npm run build` (dist/cli.cjs): plain node, no
// TypeScript at run time, one CommonJS file (see build.mjs for why).
require("../dist/cli.cjs");
