import { useEffect, useMemo } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useQuery } from "urql";
import { actionFlags, ActionTriple } from "../components/ActionCard";
import { EntityLinks, TypeBadge } from "../components/Entities";
import { Highlighted, type Mark } from "../components/Highlighted";
import { Loading, RequestError, TypedError } from "../components/Status";
import type { ArticlePageQuery } from "../gql/graphql";
import { evidenceInPassage, findMentions, type Span } from "../lib/highlight";
import { ArticleQuery } from "../queries";

type ArticleData = Extract<ArticlePageQuery["article"], { __typename: "Article" }>;

/** Per passage, its highlighted spans: entity mentions and action evidence. */
export function articleSpans(article: ArticleData): Map<string, Span<Mark>[]> {
  const named = article.entities.map((e) => ({ id: e.id, names: [e.name, ...e.aliases] }));
  const names = new Map(article.entities.map((e) => [e.id, e.name]));
  const out = new Map<string, Span<Mark>[]>();
  for (const p of article.passages) {
    const spans: Span<Mark>[] = findMentions(p.text, named).map((m) => ({
      start: m.start,
      end: m.end,
      data: { kind: "mention", entityId: m.data, label: names.get(m.data) },
    }));
    for (const a of article.actions) {
      const ev = a.evidence;
      const inPassage =
        ev.passage?.id === p.id ||
        (ev.passage == null && ev.start != null && ev.start >= p.start && ev.start < p.end);
      if (!inPassage) continue;
      const at = evidenceInPassage(ev, p);
      if (at) spans.push({ ...at, data: { kind: "evidence", actionId: a.id, label: a.type } });
    }
    out.set(p.id, spans);
  }
  return out;
}

function ArticleView({ article }: { article: ArticleData }) {
  const spans = useMemo(() => articleSpans(article), [article]);
  const mentionCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const list of spans.values()) {
      for (const s of list) {
        if (s.data.kind === "mention") counts.set(s.data.entityId, (counts.get(s.data.entityId) ?? 0) + 1);
      }
    }
    return counts;
  }, [spans]);
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash) return;
    const target = decodeURIComponent(hash.slice(1));
    const el = document.getElementById(target);
    if (!el) return;
    el.scrollIntoView({ block: "center" });
    // Flag every piece of that action's evidence (mentions split it into several marks).
    const actionId = target.startsWith("ev-") ? target.slice(3) : null;
    const pieces = actionId
      ? document.querySelectorAll(`mark.evidence[data-actions~="${CSS.escape(actionId)}"]`)
      : [el];
    for (const piece of pieces) piece.classList.add("flash");
    return () => {
      for (const piece of pieces) piece.classList.remove("flash");
    };
  }, [hash, article]);

  return (
    <article className="article-page" aria-labelledby="article-title">
      <header className="page-header">
        <h1 id="article-title">{article.title}</h1>
        <p className="meta">
          {article.published && <span className="date">{article.published}</span>}
          {article.source && <span className="source">{article.source}</span>}
          {article.section && <span className="badge">{article.section}</span>}
          {article.url && /^https?:\/\//.test(article.url) && (
            <a href={article.url} rel="noopener noreferrer" target="_blank">
              Original<span className="visually-hidden"> article (opens in a new tab)</span>
            </a>
          )}
        </p>
        <p className="legend" aria-label="Legend">
          <span className="mention legend-swatch">entity mention</span>{" "}
          <mark className="evidence legend-swatch">action evidence</mark>
        </p>
      </header>
      <div className="article-layout">
        <div className="article-text" data-testid="article-text">
          {article.passages.map((p) => (
            <p key={p.id} id={`p-${p.index}`}>
              <Highlighted text={p.text} spans={spans.get(p.id) ?? []} />
            </p>
          ))}
        </div>
        <aside className="extracted" aria-label="What was extracted">
          <section aria-labelledby="ex-actions">
            <h2 id="ex-actions">Actions ({article.actions.length})</h2>
            {article.actions.length === 0 ? (
              <p className="message">No action was extracted.</p>
            ) : (
              <ol className="action-list">
                {article.actions.map((a) => (
                  <li key={a.id}>
                    <ActionTriple action={a} />{" "}
                    <span className="date">{a.date ?? ""}</span>
                    {actionFlags(a).map((f) => (
                      <span key={f} className={`badge flag flag-${f}`}>
                        {f}
                      </span>
                    ))}
                    {a.attributedTo.length > 0 && (
                      <span className="attributed">
                        {" "}
                        according to <EntityLinks entities={a.attributedTo} />
                      </span>
                    )}{" "}
                    <a href={`#ev-${a.id}`} className="jump">
                      show in text<span className="visually-hidden">: {a.type}</span>
                    </a>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="ex-entities">
            <h2 id="ex-entities">Entities ({article.entities.length})</h2>
            <ul className="entity-list">
              {article.entities.map((e) => (
                <li key={e.id}>
                  <Link to={`/entity/${e.id}`}>{e.name}</Link> <TypeBadge type={e.type} />
                  <span className="hint"> ×{mentionCounts.get(e.id) ?? 0}</span>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </article>
  );
}

/** /article/:id : the text with mentions and evidence highlighted, and what was extracted. */
export function ArticlePage() {
  const { id = "" } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ArticleQuery, variables: { id } });
  const title = data?.article.__typename === "Article" ? data.article.title : null;
  useEffect(() => {
    document.title = title ? `${title} · newskg` : "Article · newskg";
  }, [title]);
  if (fetching && !data) return <Loading what="the article" />;
  if (error) return <RequestError error={error} what="the article" />;
  if (!data) return null;
  if (data.article.__typename !== "Article") {
    return (
      <section aria-labelledby="article-title">
        <h1 id="article-title">Article</h1>
        <TypedError error={data.article} />
        <p>
          <Link to="/search">Back to search</Link>
        </p>
      </section>
    );
  }
  return <ArticleView article={data.article} />;
}
