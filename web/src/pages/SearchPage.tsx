import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { ActionCard } from "../components/ActionCard";
import { TypeBadge } from "../components/Entities";
import { Loading, RequestError } from "../components/Status";
import { WhyChips } from "../components/Why";
import {
  PLOVER_TYPES,
  parseSearchState,
  toFilter,
  toSearchOptions,
  toSearchParams,
  type ActionOrder,
  type SearchState,
} from "../lib/urlState";
import { SearchQuery } from "../queries";

const EXAMPLES = [
  "actions against the ELN",
  "talks between Colombia and the United States",
  "who accused the ELN",
  "most reported actions against the ELN",
];

const ORDER_LABELS: Record<ActionOrder, string> = {
  "": "As the question asks",
  relevance: "Most relevant first",
  source_count: "Most reported first",
};

function SearchForm({ initial, onSubmit }: { initial: SearchState; onSubmit: (s: SearchState) => void }) {
  const [state, setState] = useState(initial);
  useEffect(() => setState(initial), [initial]);
  const id = useId();
  const set = <K extends keyof SearchState>(key: K, value: SearchState[K]) =>
    setState((s) => ({ ...s, [key]: value }));
  const toggleType = (t: string) =>
    set("types", state.types.includes(t) ? state.types.filter((x) => x !== t) : [...state.types, t]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(state);
  };
  return (
    <form className="search-form" role="search" onSubmit={submit}>
      <div className="search-row">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          Question
        </label>
        <input
          id={`${id}-q`}
          name="q"
          type="search"
          value={state.q}
          placeholder="Ask, e.g. actions against the ELN"
          onChange={(e) => set("q", e.target.value)}
          autoComplete="off"
        />
        <button type="submit">Search</button>
      </div>
      <details
        className="filters"
        open={Boolean(
          initial.from || initial.to || initial.types.length || initial.entity || initial.order || initial.duplicates,
        )}
      >
        <summary>Filters</summary>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              name="from"
              type="date"
              value={state.from}
              onChange={(e) => set("from", e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input
              id={`${id}-to`}
              name="to"
              type="date"
              value={state.to}
              onChange={(e) => set("to", e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-entity`}>Entity (name, alias or id)</label>
            <input
              id={`${id}-entity`}
              name="entity"
              type="text"
              value={state.entity}
              onChange={(e) => set("entity", e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-order`}>Order actions</label>
            <select
              id={`${id}-order`}
              name="order"
              value={state.order}
              onChange={(e) => set("order", e.target.value as ActionOrder)}
            >
              {(Object.keys(ORDER_LABELS) as ActionOrder[]).map((o) => (
                <option key={o} value={o}>
                  {ORDER_LABELS[o]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="check">
              <input
                type="checkbox"
                name="duplicates"
                checked={state.duplicates}
                onChange={(e) => set("duplicates", e.target.checked)}
              />
              Include near-duplicate copies
            </label>
          </div>
          <fieldset className="types">
            <legend>PLOVER event types</legend>
            {PLOVER_TYPES.map((t) => (
              <label key={t} className="check">
                <input
                  type="checkbox"
                  name="types"
                  value={t}
                  checked={state.types.includes(t)}
                  onChange={() => toggleType(t)}
                />
                {t}
              </label>
            ))}
          </fieldset>
        </div>
      </details>
    </form>
  );
}

function Results({ state }: { state: SearchState }) {
  const [{ data, fetching, error }] = useQuery({
    query: SearchQuery,
    variables: { query: state.q, limit: 10, filter: toFilter(state), ...toSearchOptions(state) },
  });
  if (fetching && !data) return <Loading what="answers" />;
  if (error) return <RequestError error={error} what="search results" />;
  if (!data) return null;
  const { actions, passages, entities, understanding, orderBy, includeDuplicates } = data.search;
  const bySources = orderBy === "SOURCE_COUNT";
  return (
    <div className="results" aria-busy={fetching}>
      {(understanding.entities.length > 0 || understanding.eventTypes.length > 0) && (
        <p className="understood">
          Understood:{" "}
          {understanding.entities.map((q) => (
            <span key={`${q.entity.id}-${q.role}`} className="badge">
              <Link to={`/entity/${q.entity.id}`}>{q.entity.name}</Link> as {q.role}
            </span>
          ))}
          {understanding.eventTypes.map((t) => (
            <span key={t} className="badge">
              {t}
            </span>
          ))}
        </p>
      )}
      <section aria-labelledby="actions-h">
        <h2 id="actions-h">Actions ({actions.length})</h2>
        <p className="order-note" data-testid="order-note">
          {bySources
            ? understanding.orderBySources && !state.order
              ? `Most reported first (you asked: “${understanding.orderWords.join(", ")}”): one action per event.`
              : "Most reported first: one action per event."
            : "Most relevant first."}{" "}
          {includeDuplicates
            ? "Near-duplicate copies included."
            : "Near-duplicate copies (republished wire stories) left out."}
        </p>
        {actions.length === 0 ? (
          <p className="message">No action matches. The passages below may still answer.</p>
        ) : (
          <ol className="cards">
            {actions.map((a) => (
              <li key={a.id}>
                <ActionCard action={a} />
              </li>
            ))}
          </ol>
        )}
      </section>
      {entities.length > 0 && (
        <section aria-labelledby="entities-h">
          <h2 id="entities-h">Entities</h2>
          <ul className="entity-chips">
            {entities.map((e) => (
              <li key={e.id}>
                <Link to={`/entity/${e.id}`}>{e.name}</Link> <TypeBadge type={e.type} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="passages-h">
        <h2 id="passages-h">Passages ({passages.length})</h2>
        {passages.length === 0 ? (
          <p className="message">No passage matches.</p>
        ) : (
          <ol className="cards">
            {passages.map((p) => (
              <li key={p.id}>
                <article className="card passage-card" data-testid="passage">
                  <p className="meta">
                    {p.article ? (
                      <Link to={`/article/${p.article.id}`} className="article-link">
                        {p.article.title}
                      </Link>
                    ) : (
                      "Unknown article"
                    )}
                    {p.article?.published && <span className="date">{p.article.published}</span>}
                    {p.article?.source && <span className="source">{p.article.source}</span>}
                    <span className="score">score {p.score.toFixed(3)}</span>
                  </p>
                  <p className="passage-text">{p.text}</p>
                  <WhyChips why={p.why} />
                </article>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** /search?q=&from=&to=&types=&entity= : the answer (actions) first, then passages. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // A new object only when the URL changes, so the form and the query follow the URL.
  const state = useMemo(() => parseSearchState(new URLSearchParams(key)), [key]);
  useEffect(() => {
    document.title = state.q ? `${state.q} · newskg` : "Search · newskg";
  }, [state.q]);
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search the news graph</h1>
      <SearchForm initial={state} onSubmit={(s) => setParams(toSearchParams(s))} />
      {state.q ? (
        <Results state={state} />
      ) : (
        <div className="intro">
          <p>Ask a question; the actions that answer it come first, each with its evidence.</p>
          <p>Try:</p>
          <ul>
            {EXAMPLES.map((q) => (
              <li key={q}>
                <Link to={`/search?${toSearchParams({ ...state, q }).toString()}`}>{q}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
