// The dashboard benchmark's browser sessions: each timed run in a fresh Chromium (an empty
// HTTP cache and no open connection: a cold load), then the same page again (warm); the
// first run also sits through the page's next poll rounds, when nothing has changed.
import { type DashboardBrowser, dashboardBrowser, type PageLoad } from "./dashboard-page.js";
import { type Exchange, nextQuiet } from "./page-network.js";

export interface Loads {
  /** A cold load by a browser that takes gzip alone (the measure of page weight). */
  gzipNet: Exchange[];
  cold: PageLoad[];
  warm: PageLoad[];
  /** The first run's exchanges: the cold load, the warm one, each unchanged poll round. */
  coldNet: Exchange[];
  warmNet: Exchange[];
  rounds: Exchange[][];
}

/** The load's requests, once all are over and nothing has moved for 300 ms. */
const settled = async (b: DashboardBrowser) => [...(await nextQuiet(b.network, 300, 15_000))];

function check(b: DashboardBrowser): void {
  const problems = b.problems();
  if (problems.length > 0) throw new Error(`the dashboard went wrong: ${problems.join("; ")}`);
}

async function gzipLoad(url: string): Promise<Exchange[]> {
  const b = await dashboardBrowser(new URL(url).origin, "gzip, deflate");
  try {
    await b.load(url);
    const out = await settled(b);
    check(b);
    return out;
  } finally {
    await b.close();
  }
}

/** `runs` fresh browsers, each a cold then a warm load; the first also records `rounds` polls. */
export async function measureLoads(url: string, runs: number, rounds: number): Promise<Loads> {
  // Untimed, first: it also warms the server (JIT, statements), as a server in use is.
  const gzipNet = await gzipLoad(url);
  const out: Loads = { gzipNet, cold: [], warm: [], coldNet: [], warmNet: [], rounds: [] };
  for (let i = 0; i < runs; i++) {
    const b = await dashboardBrowser(new URL(url).origin);
    try {
      out.cold.push(await b.load(url));
      const coldNet = await settled(b);
      if (i === 0) {
        out.coldNet = coldNet;
        for (let r = 0; r < rounds; r++) {
          b.network.clear();
          // A round's requests go out together; the next round is 5 s away.
          out.rounds.push([...(await nextQuiet(b.network, 1000, 20_000))]);
        }
      }
      out.warm.push(await b.load(url));
      const warmNet = await settled(b);
      if (i === 0) out.warmNet = warmNet;
      check(b);
    } finally {
      await b.close();
    }
  }
  return out;
}
