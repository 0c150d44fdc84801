// The sections of bench/RESULTS.md that a benchmark writes on its own, after the main
// table: `BENCH_ONLY=<name>` runs that benchmark alone and rewrites its section (from its
// heading to its end mark), keeping the rest of the file.
import { cpus, loadavg } from "node:os";

export interface Section {
  /** BENCH_ONLY's value for it. */
  name: string;
  /** Its Markdown heading line, where the section starts. */
  heading: string;
}

const END = "<!-- end of the ";
const sectionEnd = (s: Section) => `${END}${s.name} section -->`;

/** A section's first lines: the command, when, that BENCH_ONLY rewrites it alone, the machine's load. */
export const producedBy = (s: Section, command: string) =>
  `Produced by \`${command}\` on ${new Date().toISOString()}
(BENCH_ONLY=${s.name} rewrites this section alone). ${cpus().length} CPUs; 1-min load average
${(loadavg()[0] ?? 0).toFixed(2)} at the end.`;

/** The section's text: its heading, `body`, its end mark. */
export const sectionText = (s: Section, body: string) => `${s.heading}\n\n${body.trim()}\n${sectionEnd(s)}\n`;

/**
 * `file` with section `s` replaced by `text`. A section not yet in the file goes after the
 * last section there (before what was added by hand), else at the end.
 */
export function replaceSection(file: string, s: Section, text: string): string {
  const end = sectionEnd(s);
  const from = file.indexOf(`${s.heading}\n`);
  const to = from === -1 ? -1 : file.indexOf(end, from);
  if (from !== -1 && to !== -1) {
    const rest = file.slice(to + end.length).replace(/^\n/, "");
    return `${file.slice(0, from)}${text}${rest}`;
  }
  const last = file.lastIndexOf(END);
  if (last === -1) return `${file.trimEnd()}\n\n${text}`;
  const after = file.indexOf("\n", last) + 1 || file.length;
  return `${file.slice(0, after)}\n${text}${file.slice(after)}`;
}
