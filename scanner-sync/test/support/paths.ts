// Where things are, for tests that start the CLI or the server as child processes.
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The bin of the package: it runs the compiled CLI, dist/cli.cjs, with plain node. */
export const CLI_BIN = fileURLToPath(new URL("../../bin/veritix-scanner.cjs", import.meta.url));
export const CLI_DIST = fileURLToPath(new URL("../../dist/cli.cjs", import.meta.url));
