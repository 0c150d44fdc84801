// The arrival curve (GET /stats/timeline): first entries per bucket as bars, invalid
// scans as a line, the busiest bucket marked on the chart and named in the text below it.
// Drawn by uPlot, a chart library made for time series; times on its axis in the
// browser's time zone. A screen reader reads the text and, when asked, a table of the
// buckets instead of the drawing (page.html hides it from them).
import uPlot from "uplot";
import { BUCKETS, MAX_POINTS } from "../attendance/buckets.js";
import { $, h } from "./dom.js";
import { count, plural, time, zoneLabel } from "./format.js";
import type { Attendance, CurveBucket as Bucket, Gates, Timeline } from "./types.js";

type TimelinePoint = Timeline["points"][number];

/** The doors count as open while a scan is this recent: the curve then runs to now. */
const LIVE_MS = 15 * 60_000;
const HEIGHT = 240;
/** The y axis's tick steps: 1, 2, 5, 10, 20, 50… (uPlot picks the first that spaces them). */
const WHOLE_STEPS = Array.from(
  { length: 24 },
  (_, i) => ([1, 2, 5][i % 3] as number) * 10 ** Math.floor(i / 3),
);

/**
 * The span the curve shows: from a bucket before the first entry to the bucket of the
 * latest scan (to now while the doors move), at most the API's 2000 points, newest kept.
 * Not the timeline's default span, which also covers invalid attempts long before the doors
 * open (a ticket tried weeks ahead). Null before anyone is admitted.
 */
export function curveRange(
  att: Attendance,
  gates: Gates,
  bucket: Bucket,
  now: number,
): { from: string; to: string } | null {
  if (att.first_entry_at === null || att.last_entry_at === null) return null;
  const ms = BUCKETS[bucket];
  const lastScan = Math.max(
    Date.parse(att.last_entry_at),
    ...gates.gates.map((g) => Date.parse(g.last_scan_at)),
  );
  const end = now > lastScan && now - lastScan <= LIVE_MS ? now : lastScan;
  const to = Math.floor(end / ms) * ms + ms;
  const from = Math.max(Math.floor(Date.parse(att.first_entry_at) / ms) * ms - ms, to - MAX_POINTS * ms);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

interface Peak {
  at: number;
  entries: number;
}

function peakOf(t: Timeline): Peak | null {
  let peak: Peak | null = null;
  for (const p of t.points) {
    if (p.entries > 0 && (peak === null || p.entries > peak.entries))
      peak = { at: Date.parse(p.t), entries: p.entries };
  }
  return peak;
}

/** A dashed line and a label at the busiest bucket. */
function peakMarker(peak: () => Peak | null): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const p = peak();
        if (!p) return;
        const x = Math.round(u.valToPos(p.at / 1000, "x", true));
        const { top, height } = u.bbox;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "#a40e26";
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.lineWidth = devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.fillStyle = "#a40e26";
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        const label = `peak ${count(p.entries)}`;
        const w = ctx.measureText(label).width;
        const right = x + 4 * devicePixelRatio + w <= u.bbox.left + u.bbox.width;
        ctx.textAlign = right ? "left" : "right";
        ctx.fillText(label, x + (right ? 4 : -4) * devicePixelRatio, top + 12 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}

/**
 * The figures drawn, as a table (in page.html's collapsed details), newest bucket first.
 * Kept row by row: a bucket's row stays the same element while its figures change, so a
 * screen reader partway down the table keeps its place as new scans come in.
 */
function createFigures() {
  const details = $("curve-figures");
  const body = details.querySelector("tbody") as HTMLTableSectionElement;
  const cells = (p: TimelinePoint, now: number) => [time(p.t, now), count(p.entries), count(p.invalid_scans)];
  return (t: Timeline | null, now: number): void => {
    const points = (t?.points ?? []).filter((p) => p.entries > 0 || p.invalid_scans > 0).reverse();
    details.hidden = points.length === 0;
    const rows = new Map(Array.from(body.rows, (row) => [row.dataset.t, row]));
    const wanted = points.map((p) => {
      const texts = cells(p, now);
      const row = rows.get(p.t);
      if (row === undefined)
        return h(
          "tr",
          { "data-t": p.t },
          h("td", { title: p.t }, texts[0]),
          h("td", { class: "num" }, texts[1]),
          h("td", { class: "num" }, texts[2]),
        );
      texts.forEach((text, i) => {
        const cell = row.cells[i];
        if (cell && cell.textContent !== text) cell.textContent = text;
      });
      return row;
    });
    // Only what moved is moved: rows already in their place stay as they are.
    wanted.forEach((row, i) => {
      if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] ?? null);
    });
    while (body.rows.length > wanted.length) body.rows[wanted.length]?.remove();
  };
}

export interface Curve {
  show(t: Timeline | null, bucket: Bucket, now: number): void;
}

export function createCurve(): Curve {
  const box = $("chart");
  const figures = createFigures();
  let chart: uPlot | null = null;
  let peak: Peak | null = null;
  let shown = "";
  // The x axis spans the asked range, to the end of the last bucket: uPlot's own would stop
  // at the last bucket's start and cut its bar off.
  let span: [number, number] = [0, 1];

  const width = () => Math.max(280, box.clientWidth);
  new ResizeObserver(() => chart?.setSize({ width: width(), height: HEIGHT })).observe(box);

  function make(data: uPlot.AlignedData, bucket: Bucket): uPlot {
    // The page's ink, as the browser resolved it: in a forced-colours (high contrast) mode
    // that is the system's text colour, which a canvas is not given by itself.
    const ink = getComputedStyle(box).color;
    // Each bucket's figures hold from its start to its end: bars and steps drawn from the start.
    const bars = uPlot.paths.bars?.({ size: [0.9, Number.POSITIVE_INFINITY], align: 1 });
    const steps = uPlot.paths.stepped?.({ align: 1 });
    return new uPlot(
      {
        width: width(),
        height: HEIGHT,
        plugins: [peakMarker(() => peak)],
        cursor: { drag: { x: false, y: false } },
        // The legend's values follow a hovering pointer; on a touch screen there is none, and
        // "Entries: --" would read as missing data: the names alone there.
        legend: { live: matchMedia("(pointer: fine)").matches },
        scales: {
          x: { time: true, range: () => span },
          y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [
          // Room for a label such as "12:45pm" between ticks (uPlot's default packs them
          // into one run of text on a phone).
          { space: 70, stroke: ink },
          {
            stroke: ink,
            label: `per ${bucket === "1m" ? "minute" : bucket.replace("m", " min")}`,
            size: 56,
            // Whole people: no 0.2 entries between the ticks of a quiet minute.
            incrs: WHOLE_STEPS,
          },
        ],
        series: [
          { label: `Time (${zoneLabel()})` },
          {
            label: "Entries",
            stroke: "#1f6feb",
            fill: "rgba(31,111,235,0.35)",
            paths: bars,
            points: { show: false },
          },
          { label: "Invalid scans", stroke: "#a40e26", width: 2, paths: steps, points: { show: false } },
        ],
      },
      data,
      box,
    );
  }

  return {
    show(t, bucket, now) {
      const summary = $("curve-summary");
      if (t === null || t.points.length === 0) {
        chart?.destroy();
        chart = null;
        shown = "";
        summary.textContent = "No entries yet: the curve starts with the first admitted ticket.";
        figures(null, now);
        return;
      }
      figures(t, now);
      peak = peakOf(t);
      span = [Date.parse(t.from ?? t.points[0]?.t ?? "") / 1000, Date.parse(t.to ?? "") / 1000];
      const data: uPlot.AlignedData = [
        t.points.map((p) => Date.parse(p.t) / 1000),
        t.points.map((p) => p.entries),
        t.points.map((p) => p.invalid_scans),
      ];
      // A new chart when the bucket changes (its axis label), new data otherwise.
      if (chart === null || shown !== bucket) {
        chart?.destroy();
        chart = make(data, bucket);
        shown = bucket;
      } else {
        chart.setData(data);
      }
      const entries = t.points.reduce((n, p) => n + p.entries, 0);
      const invalid = t.points.reduce((n, p) => n + p.invalid_scans, 0);
      const width = bucket === "1m" ? "minute" : `${bucket.replace("m", "")} minutes`;
      summary.textContent =
        `Entries per ${width} from ${time(t.from, now)} to ${time(t.to, now)} (${zoneLabel()}): ` +
        `${plural(entries, "entry", "entries")}, ${plural(invalid, "invalid scan")}` +
        (peak
          ? `; busiest ${time(new Date(peak.at).toISOString(), now)} with ${plural(peak.entries, "entry", "entries")}.`
          : ".");
    },
  };
}
