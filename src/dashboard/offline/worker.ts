// The dashboard's service worker (served as dashboard-offline.js, beside the page, scope the
// page's address): a supervisor whose phone lost the network and reloads the page, or
// opens it again from the browser's history, gets the page rather than the browser's error
// page; the page then shows the figures it last had (held.ts) and says they are of then.
//
// Only the page and its own files go through here. The API's requests are never touched:
// their tokens, conditional requests and failures stay the page's business (api.ts), and
// no figure is ever answered from this cache.
//
// The page: from the network first, so a new version shows at once when the server is
// reachable; the copy kept when it is not (no answer within NETWORK_WAIT_MS, an error, a
// 5xx from something in between). Its files are named by content hash: from the cache
// first, fetched when missing. What is kept is this version's page and files, as installed,
// and nothing else: a page from the network may be a newer version's, naming files this
// cache does not hold (kept here, an offline reload would open it without them).

// A module, so that `self` may be declared as what it is here.
export {};

declare const self: ServiceWorkerGlobalScope;
/** The page's address and its files' (relative to this script), and their version: set by the build. */
declare const DASHBOARD_FILES: string[];
declare const DASHBOARD_VERSION: string;

const PREFIX = "veritix-dashboard-";
const CACHE = PREFIX + DASHBOARD_VERSION;
/** A network that neither answers nor fails (a venue's overloaded Wi-Fi): the kept page after this. */
const NETWORK_WAIT_MS = 4_000;

const at = (path: string) => new URL(path, self.location.href).href;
const [PAGE, ...FILES] = DASHBOARD_FILES.map(at) as [string, ...string[]];
const ASSETS = new URL("dashboard/assets/", self.location.href).href;
/**
 * The Node server's answers vary by Accept-Encoding (it serves compressed copies), which a
 * fetch from the page and one from here need not send alike; what is kept is the same file.
 */
const MATCH: CacheQueryOptions = { ignoreVary: true };

self.addEventListener("install", (e) => {
  // Everything the page needs, together: a version whose files did not all come is not
  // installed (the one before stays); nor is one whose page the server now answers with
  // another version's (a deploy between the page's load and this install).
  e.waitUntil(
    (async () => {
      const served = await fetch(PAGE, { cache: "no-store" });
      if (!served.ok || (await versionOf(await served.clone().text())) !== DASHBOARD_VERSION)
        throw new Error("the server's page is not this version's");
      const cache = await caches.open(CACHE);
      await cache.addAll(FILES);
      await cache.put(PAGE, served);
      await self.skipWaiting();
    })(),
  );
});

/** What the build names a version by: the start of its page's SHA-256, in hex. */
async function versionOf(page: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(page)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, DASHBOARD_VERSION.length);
}

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (e) => {
  const { request } = e;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.origin + url.pathname === PAGE) e.respondWith(page(request));
  else if (url.href.startsWith(ASSETS)) e.respondWith(asset(request));
});

async function page(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const kept = () => cache.match(PAGE, MATCH);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = setTimeout(() => resolve("slow"), NETWORK_WAIT_MS);
  });
  const network = fetch(request).catch(() => null);
  try {
    const first = await Promise.race([network, slow]);
    if (first === "slow") return (await kept()) ?? (await network) ?? Response.error();
    if (first === null || first.status >= 500) return (await kept()) ?? first ?? Response.error();
    return first;
  } finally {
    clearTimeout(timer);
  }
}

async function asset(request: Request): Promise<Response> {
  const kept = await (await caches.open(CACHE)).match(request, MATCH);
  return kept ?? fetch(request);
}
