// The uploader's defaults that the CLI's help shows: a file of their own, so that declaring
// `sync` (which every command does, to parse its arguments) does not load the uploader.

// Four: the server then always has a batch parsed and waiting while one commits and
// another is on the wire (a drain of 100k scans measured ~15% faster than with two).
export const DEFAULT_MAX_IN_FLIGHT = 4;
