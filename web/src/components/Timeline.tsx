import * as Plot from "@observablehq/plot";
import { useEffect, useRef, useState } from "react";

/** One dated action on the timeline, from the point of view of the page's entity. */
export interface TimelinePoint {
  id: string;
  date: string;
  role: "actor" | "target";
  type: string;
  label: string;
}

const DAY = 24 * 3600 * 1000;

/** The x domain: the dates' extent, padded so a single day still has room. */
export function timeDomain(dates: readonly Date[]): [Date, Date] {
  const times = dates.map((d) => d.getTime());
  const min = Math.min(...times);
  const max = Math.max(...times);
  const pad = Math.max(3 * DAY, (max - min) * 0.05);
  return [new Date(min - pad), new Date(max + pad)];
}

/**
 * Actions over time with Observable Plot: one row for actions the entity takes, one for
 * actions taken against it; dots are coloured by PLOVER type and dodge each other.
 */
export function Timeline({ points, name }: { points: readonly TimelinePoint[]; name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.round(el.clientWidth / 40) * 40);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [points.length]);
  useEffect(() => {
    const el = ref.current;
    if (!el || points.length === 0 || width === 0) return;
    const data = points.map((p) => ({ ...p, when: new Date(`${p.date}T00:00:00Z`) }));
    const plotWidth = Math.max(280, Math.min(width - 16, 960));
    const r = plotWidth < 500 ? 4 : 6;
    const piles = new Map<string, number>();
    for (const p of points) piles.set(`${p.role}|${p.date}`, (piles.get(`${p.role}|${p.date}`) ?? 0) + 1);
    // Each row is tall enough for the highest pile of dodged dots.
    const rowHeight = Math.max(90, Math.max(...piles.values()) * (2 * r + 2) + 40);
    const chart = Plot.plot({
      width: plotWidth,
      height: 2 * rowHeight + 40,
      marginLeft: plotWidth < 500 ? 64 : 80,
      marginRight: 40,
      x: {
        type: "utc",
        domain: timeDomain(data.map((d) => d.when)),
        label: null,
        grid: true,
        ticks: Math.max(2, Math.floor(plotWidth / 130)),
        tickFormat: "%Y-%m-%d",
      },
      fy: { domain: ["actor", "target"], label: null, tickFormat: (r: string) => `as ${r}` },
      color: { legend: true, type: "categorical", scheme: "Tableau10" },
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        Plot.dot(
          data,
          Plot.dodgeY("middle", {
            x: "when",
            fy: "role",
            r,
            fill: "type",
            stroke: "white",
            title: "label",
            tip: true,
          }),
        ),
      ],
    });
    // The wrapper is the accessible image (its label says what is drawn, the lists below
    // give the data); Plot's per-mark aria-labels on <g> elements are not valid ARIA there.
    for (const node of chart.querySelectorAll("[aria-label]")) node.removeAttribute("aria-label");
    chart.setAttribute("aria-hidden", "true");
    el.replaceChildren(chart);
    return () => chart.remove();
  }, [points, width]);
  if (points.length === 0) {
    return <p className="message">No dated actions to draw.</p>;
  }
  return (
    <div
      ref={ref}
      className="plot"
      data-testid="timeline"
      role="img"
      aria-label={`Timeline of ${points.length} dated actions involving ${name}, as actor and as target`}
    />
  );
}
