// UUIDv7s for the records a device makes. A gate runs `record` as a whole process per
// scan, so where the random bits come from is start-up time: uuidv7's default source, the
// global WebCrypto, costs each process ~14 ms to load; node:crypto's randomFillSync (its
// module and OpenSSL's generator) made `record` 160-176 ms against 138-141 ms reading the
// kernel's generator as a file (61 interleaved runs each, node -e 0 at 60-75 ms).
// /dev/urandom is what OpenSSL seeds from; where there is none (Windows), node:crypto.
import { closeSync, openSync, readSync } from "node:fs";
import { V7Generator } from "uuidv7";

/** Fills `into` from /dev/urandom; false where it cannot be opened. */
function fromKernel(into: Uint32Array): boolean {
  let fd: number;
  try {
    fd = openSync("/dev/urandom", "r");
  } catch {
    return false;
  }
  try {
    // Reads of up to 256 bytes from it are never short (random(4)).
    if (readSync(fd, into) !== into.byteLength) throw new Error("a short read from /dev/urandom");
    return true;
  } finally {
    closeSync(fd);
  }
}

const fromOpenSsl = (into: Uint32Array) => process.getBuiltinModule("node:crypto").randomFillSync(into);

const pool = new Uint32Array(64);
let next = pool.length;
const generator = new V7Generator({
  nextUint32() {
    if (next >= pool.length) {
      if (!fromKernel(pool)) fromOpenSsl(pool);
      next = 0;
    }
    return pool[next++] as number;
  },
});

export const newUuid = (): string => generator.generate().toString();
