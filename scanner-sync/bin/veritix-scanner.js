#!/usr/bin/env node
// The gate device's CLI as built by `npm run build` (dist/cli.js): plain node, no
// TypeScript at run time.
import "../dist/cli.js";
