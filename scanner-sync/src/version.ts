// The package's version, sent as the device's app_version and in the User-Agent.
import { createRequire } from "node:module";

export const APP_VERSION: string = createRequire(import.meta.url)("../package.json").version;
export const USER_AGENT = `veritix-scanner/${APP_VERSION}`;
