// One row of the results table, and the table as Markdown (printed and written to
// bench/RESULTS.md alike).

export interface ResultRow {
  benchmark: string;
  backend: string;
  measured: string;
  reference: string;
  /** measured / reference; null when there is nothing to divide. */
  ratio: number | null;
  /** e.g. ">= 0.40"; empty when the figure has no target. */
  target: string;
  /** Whether the ratio meets the target; null without a target. */
  ok: boolean | null;
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
export const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;
export const rps = (n: number) => `${Math.round(n).toLocaleString("en-US")} req/s`;

export function atLeast(ratio: number, min: number): Pick<ResultRow, "ratio" | "target" | "ok"> {
  return { ratio, target: `>= ${fmt(min)}`, ok: ratio >= min };
}

export function atMost(ratio: number, max: number): Pick<ResultRow, "ratio" | "target" | "ok"> {
  return { ratio, target: `<= ${fmt(max)}`, ok: ratio <= max };
}

export function markdownTable(rows: ResultRow[]): string {
  const head = ["benchmark", "backend", "measured", "reference", "ratio", "target", "verdict"];
  const body = rows.map((r) => [
    r.benchmark,
    r.backend,
    r.measured,
    r.reference,
    r.ratio === null ? "" : fmt(r.ratio),
    r.target,
    r.ok === null ? "" : r.ok ? "ok" : "**below target**",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
