// How text is ordered wherever the answer's order is set in JS: as the databases compare
// it bytewise (Postgres with COLLATE "C", SQLite's BINARY), so an order does not depend on
// which side sorted.

/**
 * Text order of the databases' bytewise comparison (UTF-8 bytes, which is code point
 * order), from UTF-16 code units: surrogates (U+D800-DFFF) sort after U+E000-FFFF.
 */
export function bytewise(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}
