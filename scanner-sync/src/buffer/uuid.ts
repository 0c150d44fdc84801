// UUIDv7s for the records a device makes. Their random bits come from node:crypto:
// uuidv7's default source, the global WebCrypto, costs every `record` process ~14 ms to
// load (measured: node -e with crypto.getRandomValues vs randomFillSync).
import { randomFillSync } from "node:crypto";
import { V7Generator } from "uuidv7";

const pool = new Uint32Array(8);
let next = pool.length;
const generator = new V7Generator({
  nextUint32() {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++] as number;
  },
});

export const newUuid = (): string => generator.generate().toString();
