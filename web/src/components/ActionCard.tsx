import { Link } from "react-router";
import { evidenceInPassage } from "../lib/highlight";
import { EntityLinks, type EntityRef } from "./Entities";
import { Highlighted } from "./Highlighted";
import { Reports, reportedBy, type ReportView } from "./Reports";
import { WhyChips, type WhyVote } from "./Why";

/** The fields of an action the card shows (a subset of the schema's Action/ActionHit). */
export interface ActionView {
  id: string;
  type: string;
  mode?: string | null;
  date?: string | null;
  dateText?: string | null;
  negated: boolean;
  hypothetical: boolean;
  future: boolean;
  confidence?: number;
  actorTexts: readonly string[];
  targetTexts: readonly string[];
  actors: readonly EntityRef[];
  targets: readonly EntityRef[];
  attributedTo: readonly EntityRef[];
  score?: number;
  why?: readonly WhyVote[];
  evidence: {
    text: string;
    start?: number | null;
    end?: number | null;
    passage?: { id: string; text: string; start: number; end: number } | null;
    article?: { id: string; title: string; published?: string | null } | null;
  };
  /** Distinct sources (outlets) reporting its event; absent where the query did not ask. */
  sourceCount?: number;
  articleCount?: number;
  /** Every article's report of its event, this one included. */
  reports?: readonly ReportView[];
}

/** Flags as short labels: negated, hypothetical, future. */
export function actionFlags(a: {
  negated: boolean;
  hypothetical: boolean;
  future: boolean;
}): string[] {
  const flags: string[] = [];
  if (a.negated) flags.push("negated");
  if (a.hypothetical) flags.push("hypothetical");
  if (a.future) flags.push("future");
  return flags;
}

/** What the actor → TYPE → target line needs. */
export interface TripleView {
  type: string;
  negated: boolean;
  actors: readonly EntityRef[];
  targets: readonly EntityRef[];
  actorTexts?: readonly string[];
  targetTexts?: readonly string[];
}

/** actor → TYPE → target, with links to the entities. */
export function ActionTriple({ action }: { action: TripleView }) {
  return (
    <span className="triple">
      <span className="actor">
        <EntityLinks entities={action.actors} texts={action.actorTexts} fallback="unknown actor" />
      </span>
      <span className="arrow" aria-hidden="true">
        {" "}
        →{" "}
      </span>
      <span className={`action-type${action.negated ? " negated" : ""}`}>
        <span className="visually-hidden">{action.negated ? "does not " : ""}</span>
        {action.type}
      </span>
      <span className="arrow" aria-hidden="true">
        {" "}
        →{" "}
      </span>
      <span className="target">
        <EntityLinks
          entities={action.targets}
          texts={action.targetTexts}
          fallback="no named target"
        />
      </span>
    </span>
  );
}

/** One action: who did what to whom, when, flags, attribution, and its highlighted evidence. */
export function ActionCard({ action }: { action: ActionView }) {
  const { evidence } = action;
  const passage = evidence.passage;
  const at = passage ? evidenceInPassage(evidence, passage) : null;
  const article = evidence.article;
  const flags = actionFlags(action);
  return (
    <article className="card action-card" data-testid="action" data-action-id={action.id}>
      <h3 className="action-title">
        <ActionTriple action={action} />
      </h3>
      <p className="meta">
        <span className="date">
          {action.date ??
            action.dateText ??
            (article?.published ? `reported ${article.published}` : "undated")}
        </span>
        {action.mode && <span className="badge">{action.mode}</span>}
        {flags.map((f) => (
          <span key={f} className={`badge flag flag-${f}`}>
            {f}
          </span>
        ))}
        {action.attributedTo.length > 0 && (
          <span className="attributed">
            according to <EntityLinks entities={action.attributedTo} />
          </span>
        )}
        {action.sourceCount !== undefined && (
          <span className="badge sources" data-testid="source-count">
            {reportedBy(action.sourceCount, action.articleCount)}
          </span>
        )}
        {action.score !== undefined && (
          <span className="score" title="fused search score">
            score {action.score.toFixed(3)}
          </span>
        )}
      </p>
      <blockquote className="evidence-quote" data-testid="evidence">
        {passage && at ? (
          <Highlighted
            text={passage.text}
            spans={[{ ...at, data: { kind: "evidence", actionId: action.id } }]}
          />
        ) : (
          <mark className="evidence">{evidence.text}</mark>
        )}
      </blockquote>
      <p className="card-foot">
        {article && (
          <Link to={`/article/${article.id}#ev-${action.id}`} className="article-link">
            {article.title}
            {article.published ? ` (${article.published})` : ""}
          </Link>
        )}
      </p>
      {action.reports && <Reports cardId={action.id} reports={action.reports} />}
      {action.why && <WhyChips why={action.why} />}
    </article>
  );
}
