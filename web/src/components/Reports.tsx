import { Link } from "react-router";
import { evidenceInPassage } from "../lib/highlight";
import { Highlighted } from "./Highlighted";

/** One article's report of an action's event (the schema's `Report`, as the card reads it). */
export interface ReportView {
  action: { id: string };
  evidence: {
    text: string;
    start?: number | null;
    end?: number | null;
    passage?: { id: string; text: string; start: number; end: number } | null;
  };
  article?: {
    id: string;
    title: string;
    url?: string | null;
    source?: string | null;
    published?: string | null;
  } | null;
}

/** "reported by 3 sources in 4 articles", singular where it is one. */
export function reportedBy(sources: number, articles?: number | null): string {
  const s = `reported by ${sources} source${sources === 1 ? "" : "s"}`;
  if (articles == null || articles === sources) return s;
  return `${s} in ${articles} article${articles === 1 ? "" : "s"}`;
}

/** The host of a URL, for a short link text; the URL itself when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * Every report of an event: each article (title, source, date, original URL) and its
 * evidence highlighted inside its passage by the API's character offsets. The anchors are
 * prefixed by the card's action id, so two cards of one event never share an id.
 */
export function Reports({ cardId, reports }: { cardId: string; reports: readonly ReportView[] }) {
  if (reports.length === 0) return null;
  return (
    <details className="reports" data-testid="reports">
      <summary>
        Every report ({reports.length})
      </summary>
      <ol className="report-list">
        {reports.map((r) => {
          const { evidence, article } = r;
          const passage = evidence.passage;
          const at = passage ? evidenceInPassage(evidence, passage) : null;
          const anchor = `r-${cardId}-${r.action.id}`;
          return (
            <li key={r.action.id} data-testid="report" data-action-id={r.action.id}>
              <p className="meta">
                {article ? (
                  <Link to={`/article/${article.id}#ev-${r.action.id}`} className="article-link">
                    {article.title}
                  </Link>
                ) : (
                  "Unknown article"
                )}
                {article?.source && <span className="source">{article.source}</span>}
                {article?.published && <span className="date">{article.published}</span>}
                {article?.url && (
                  <a className="external" href={article.url} rel="noopener noreferrer">
                    {hostOf(article.url)}
                  </a>
                )}
                {evidence.start != null && evidence.end != null && (
                  <span className="offsets" title="character offsets of the evidence in the article">
                    chars {evidence.start}–{evidence.end}
                  </span>
                )}
              </p>
              <blockquote className="evidence-quote" data-testid="report-evidence">
                {passage && at ? (
                  <Highlighted
                    text={passage.text}
                    spans={[{ ...at, data: { kind: "evidence", actionId: anchor } }]}
                  />
                ) : (
                  <mark className="evidence">{evidence.text}</mark>
                )}
              </blockquote>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
