import cytoscape from "cytoscape";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useClient } from "urql";
import { NeighborsQuery } from "../queries";
import { TypeBadge, typeClass } from "./Entities";
import { describeError } from "./Status";

interface GraphNode {
  id: string;
  name: string;
  type: string;
  expanded: boolean;
}

interface GraphEdge {
  id: string;
  source: string;
  target: string;
  links: number;
}

const COLORS: Record<string, string> = {
  person: "#b3541e",
  organization: "#245c9e",
  armedgroup: "#a4262c",
  country: "#2f7d32",
  place: "#6b5b95",
  gpe: "#2f7d32",
  location: "#6b5b95",
  other: "#555555",
};

function edgeId(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * The entity's neighbourhood drawn with Cytoscape.js: entities sharing actions or roles.
 * Tap a node to select it, double-tap (or use the list) to open its page, "Expand" to add
 * its own neighbours. The list under the canvas offers the same actions by keyboard.
 */
export function NeighborhoodGraph({ root }: { root: { id: string; name: string; type: string } }) {
  const client = useClient();
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const [nodes, setNodes] = useState<Map<string, GraphNode>>(
    () => new Map([[root.id, { ...root, expanded: false }]]),
  );
  const [edges, setEdges] = useState<Map<string, GraphEdge>>(() => new Map());
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(root.id);

  const expand = useCallback(
    async (id: string) => {
      setLoading(id);
      setError(null);
      const result = await client.query(NeighborsQuery, { id, first: 25 }).toPromise();
      setLoading(null);
      if (result.error) {
        setError(describeError(result.error));
        return;
      }
      const hood = result.data?.neighbors;
      if (!hood) return;
      if (hood.__typename !== "Neighborhood") {
        setError("message" in hood ? hood.message : "The neighbourhood is not available.");
        return;
      }
      const near = hood.neighbors.filter((n) => n.distance === 1);
      setNodes((old) => {
        const next = new Map(old);
        for (const n of near) {
          if (!next.has(n.entity.id)) next.set(n.entity.id, { ...n.entity, expanded: false });
        }
        const me = next.get(id);
        if (me) next.set(id, { ...me, expanded: true });
        return next;
      });
      setEdges((old) => {
        const next = new Map(old);
        for (const n of near) {
          const key = edgeId(id, n.entity.id);
          if (!next.has(key)) next.set(key, { id: key, source: id, target: n.entity.id, links: n.links });
        }
        return next;
      });
    },
    [client],
  );

  useEffect(() => {
    void expand(root.id);
  }, [expand, root.id]);

  useEffect(() => {
    if (!container.current) return;
    const instance = cytoscape({
      container: container.current,
      elements: [],
      minZoom: 0.3,
      maxZoom: 3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(name)",
            "background-color": "data(color)",
            color: "#1b1b1b",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-wrap": "ellipsis",
            "text-max-width": "160px",
            width: 22,
            height: 22,
          },
        },
        { selector: "node.root", style: { width: 34, height: 34, "font-weight": "bold" } },
        { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1b1b1b" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#f2b705" } },
        {
          selector: "edge",
          style: { width: "data(width)", "line-color": "#9aa5b1", "curve-style": "bezier" },
        },
      ],
    });
    instance.on("tap", "node", (event) => setSelected(event.target.id()));
    instance.on("dbltap", "node", (event) => navigate(`/entity/${event.target.id()}`));
    cy.current = instance;
    // Cytoscape caches where its container is; content loading above it (the timeline)
    // moves it without a scroll or resize. Refresh that cache before each press.
    const element = container.current;
    const refresh = () => instance.resize();
    for (const type of ["mousedown", "touchstart"]) {
      element.addEventListener(type, refresh, { capture: true, passive: true });
    }
    return () => {
      for (const type of ["mousedown", "touchstart"]) {
        element.removeEventListener(type, refresh, { capture: true });
      }
      instance.destroy();
      cy.current = null;
    };
  }, [navigate]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    let added = false;
    instance.batch(() => {
      for (const n of nodes.values()) {
        const existing = instance.getElementById(n.id);
        const classes = [n.id === root.id ? "root" : "", n.expanded ? "expanded" : ""].join(" ");
        if (existing.empty()) {
          instance.add({
            group: "nodes",
            data: { id: n.id, name: n.name, color: COLORS[typeClass(n.type)] ?? COLORS.other },
            classes,
          });
          added = true;
        } else {
          existing.classes(classes);
        }
      }
      for (const e of edges.values()) {
        if (instance.getElementById(e.id).empty()) {
          instance.add({
            group: "edges",
            data: { id: e.id, source: e.source, target: e.target, width: Math.min(1 + e.links, 6) },
          });
          added = true;
        }
      }
    });
    if (added) {
      instance.layout({ name: "cose", animate: false, padding: 24, randomize: false }).run();
      instance.fit(undefined, 24);
    }
    container.current?.setAttribute("data-nodes", String(instance.nodes().length));
    container.current?.setAttribute("data-edges", String(instance.edges().length));
  }, [nodes, edges, root.id]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.nodes().unselect();
    instance.getElementById(selected).select();
  }, [selected, nodes]);

  const current = nodes.get(selected);
  const list = [...nodes.values()];
  return (
    <div className="graph">
      <div
        ref={container}
        className="graph-canvas"
        data-testid="graph"
        role="img"
        aria-label={`Graph of ${list.length} entities around ${root.name}; the list below has the same nodes`}
      />
      {loading && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading neighbours of{" "}
          {nodes.get(loading)?.name ?? "entity"}…
        </p>
      )}
      {error && (
        <p className="message error" role="alert">
          Could not load the neighbourhood: {error}
        </p>
      )}
      {current && (
        <p className="graph-selected" aria-live="polite">
          Selected: <strong>{current.name}</strong> <TypeBadge type={current.type} />{" "}
          <Link to={`/entity/${current.id}`}>Open page</Link>{" "}
          <button type="button" disabled={current.expanded || loading !== null} onClick={() => void expand(current.id)}>
            {current.expanded ? "Expanded" : "Expand neighbours"}
          </button>
        </p>
      )}
      <details className="graph-list">
        <summary>Entities in the graph ({list.length})</summary>
        <ul>
          {list.map((n) => (
            <li key={n.id}>
              <Link to={`/entity/${n.id}`}>{n.name}</Link> <TypeBadge type={n.type} />{" "}
              <button type="button" onClick={() => setSelected(n.id)} aria-pressed={n.id === selected}>
                Select
              </button>{" "}
              <button
                type="button"
                disabled={n.expanded || loading !== null}
                onClick={() => void expand(n.id)}
                aria-label={`Expand neighbours of ${n.name}`}
              >
                Expand
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
