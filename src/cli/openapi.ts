// `npm run openapi`: writes the OpenAPI document (src/openapi.json), generated from the
// routes' operation specs by src/http/openapi.ts. `--check` (run by `npm test`) fails when
// the file is not what the routes generate, so it never drifts from them.
//
// Why a file and not a document built per request: zod's JSON Schema conversion takes
// 25-175 ms of CPU for this API, more than a Workers request may spend on the free plan,
// once per isolate. The Node server answers the file; the Worker serves it as a static
// asset (the build copies it beside the docs page's files), so neither the generator nor
// the document weighs on the Worker's bundle.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "../app.js";
import { buildDocument } from "../http/openapi.js";
import { silentLogger } from "../observability/logger.js";
import { noMetrics } from "../observability/metrics.js";

const FILE = fileURLToPath(new URL("../openapi.json", import.meta.url));

/** The app as it is served, minus what only answers requests: the document reads only its routes. */
function describedApp() {
  const inert = () => {
    throw new Error("the document's app serves no requests");
  };
  return createApp({
    services: inert,
    auth: { tokens: [], openFor: () => false },
    logger: silentLogger,
    metrics: noMetrics,
  });
}

const source = () => `${JSON.stringify(buildDocument(describedApp()), null, 2)}\n`;

const wanted = source();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(FILE, "utf8");
  } catch {}
  if (current !== wanted) {
    console.error(`${FILE} is not what the routes generate: run \`npm run openapi\` and commit it.`);
    process.exit(1);
  }
} else {
  writeFileSync(FILE, wanted);
  console.log(`wrote ${FILE}`);
}
