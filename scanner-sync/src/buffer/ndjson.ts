// NDJSON as exported by another scanner or a back-office tool: one JSON object per line,
// blank lines allowed. Every line is parsed first, so a bad file is reported whole.
import type { LineIssue } from "./errors.js";

export interface NdjsonLine {
  line: number;
  value: unknown;
}

export function parseNdjson(text: string): { lines: NdjsonLine[]; issues: LineIssue[] } {
  const lines: NdjsonLine[] = [];
  const issues: LineIssue[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const source = i === 0 ? raw.replace(/^\uFEFF/, "") : raw;
    if (source.trim() === "") return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(source) });
    } catch (err) {
      issues.push({ line: i + 1, path: "", message: `not valid JSON (${(err as Error).message})` });
    }
  });
  return { lines, issues };
}
