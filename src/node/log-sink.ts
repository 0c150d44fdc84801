// Where the Node server's log lines go: stdout, a tick's worth of lines per write. A write
// per line is a system call per request (stdout is synchronous for files and pipes on
// Linux), which at the default level cost a busy server a fifth of its throughput. What is
// buffered is written when the tick ends, and on exit; only a SIGKILL can lose it.
export function stdoutLines(): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    process.stdout.write(text);
  };
  process.once("exit", flush);
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}
