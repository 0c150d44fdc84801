// Preloaded into a CLI process (node --require) by cli-startup.test.ts: when the process
// exits, writes the Node built-ins and the CommonJS files it loaded to $LOADED_MODULES_OUT.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const builtins = process.moduleLoadList
    .filter((m) => m.startsWith("NativeModule ") && !m.startsWith("NativeModule internal/"))
    .map((m) => m.slice("NativeModule ".length));
  writeFileSync(
    process.env.LOADED_MODULES_OUT,
    JSON.stringify({ builtins, files: Object.keys(require.cache) }),
  );
});
