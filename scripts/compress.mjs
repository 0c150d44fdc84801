// A built file and, beside it, its brotli and gzip copies: the Node server serves those to
// clients that take them (serveStatic's precompressed); Workers compress on their own, so
// .assetsignore keeps the copies off the Worker.
import { writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export function writeWithCompressed(path, bytes) {
  writeFileSync(path, bytes);
  writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}
