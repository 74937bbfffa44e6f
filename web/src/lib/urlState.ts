// The search page's state lives in the URL: ?q=&from=&to=&types=&entity=&order=&duplicates=.

/** The PLOVER event types, in the manual's order. */
export const PLOVER_TYPES = [
  "AGREE",
  "CONSULT",
  "SUPPORT",
  "CONCEDE",
  "COOPERATE",
  "AID",
  "RETREAT",
  "REQUEST",
  "ACCUSE",
  "REJECT",
  "THREATEN",
  "PROTEST",
  "SANCTION",
  "MOBILIZE",
  "COERCE",
  "ASSAULT",
] as const;

/**
 * How the actions are ordered: "" lets the question decide ("most reported ..." orders by
 * source count), or the API's `SearchOrder` in lower case.
 */
export type ActionOrder = "" | "relevance" | "source_count";

export const ACTION_ORDERS: readonly ActionOrder[] = ["", "relevance", "source_count"];

export interface SearchState {
  q: string;
  from: string;
  to: string;
  types: string[];
  entity: string;
  order: ActionOrder;
  /** Also search near-duplicate copies (a wire story republished); left out by default. */
  duplicates: boolean;
}

export const EMPTY_SEARCH: SearchState = {
  q: "",
  from: "",
  to: "",
  types: [],
  entity: "",
  order: "",
  duplicates: false,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * Read the search state from URL parameters. Unknown PLOVER types and malformed dates are
 * dropped; `types` may be repeated or comma-separated, in any case.
 */
export function parseSearchState(params: URLSearchParams): SearchState {
  const known = new Set<string>(PLOVER_TYPES);
  const types = params
    .getAll("types")
    .flatMap((v) => v.split(","))
    .map((t) => t.trim().toUpperCase())
    .filter((t, i, all) => known.has(t) && all.indexOf(t) === i);
  const date = (key: string) => {
    const value = (params.get(key) ?? "").trim();
    return isIsoDate(value) ? value : "";
  };
  const order = (params.get("order") ?? "").trim().toLowerCase();
  return {
    q: (params.get("q") ?? "").trim(),
    from: date("from"),
    to: date("to"),
    types,
    entity: (params.get("entity") ?? "").trim(),
    order: (ACTION_ORDERS as readonly string[]).includes(order) ? (order as ActionOrder) : "",
    duplicates: ["1", "true", "yes"].includes((params.get("duplicates") ?? "").trim().toLowerCase()),
  };
}

/** The URL parameters for a state; empty fields are left out. */
export function toSearchParams(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  if (state.types.length) params.set("types", state.types.join(","));
  if (state.entity.trim()) params.set("entity", state.entity.trim());
  if (state.order) params.set("order", state.order);
  if (state.duplicates) params.set("duplicates", "1");
  return params;
}

/** The `search` arguments besides the query and filter: order and duplicates. */
export function toSearchOptions(state: SearchState): {
  orderBy: "RELEVANCE" | "SOURCE_COUNT" | null;
  includeDuplicates: boolean;
} {
  const orderBy = state.order === "relevance" ? "RELEVANCE" : state.order === "source_count" ? "SOURCE_COUNT" : null;
  return { orderBy, includeDuplicates: state.duplicates };
}

/** The GraphQL `SearchFilterInput` for a state, or null when nothing filters. */
export function toFilter(state: SearchState): {
  from?: string;
  to?: string;
  types?: string[];
  entity?: string;
} | null {
  const filter: { from?: string; to?: string; types?: string[]; entity?: string } = {};
  if (state.from) filter.from = state.from;
  if (state.to) filter.to = state.to;
  if (state.types.length) filter.types = state.types;
  if (state.entity.trim()) filter.entity = state.entity.trim();
  return Object.keys(filter).length ? filter : null;
}
