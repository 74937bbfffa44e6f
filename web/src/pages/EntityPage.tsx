import { useEffect, useMemo } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { actionFlags, ActionTriple } from "../components/ActionCard";
import { TypeBadge } from "../components/Entities";
import { NeighborhoodGraph } from "../components/NeighborhoodGraph";
import { Loading, RequestError, TypedError } from "../components/Status";
import { Timeline, type TimelinePoint } from "../components/Timeline";
import type { TimelineActionFragment } from "../gql/graphql";
import { EntityQuery } from "../queries";

type TimelineAction = TimelineActionFragment;

function wikidataUrl(value: string): string {
  return /^https?:\/\//.test(value) ? value : `https://www.wikidata.org/wiki/${value}`;
}

function ActionList({ actions, label }: { actions: readonly TimelineAction[]; label: string }) {
  if (actions.length === 0) return <p className="message">None.</p>;
  return (
    <ul className="action-list" aria-label={label}>
      {actions.map((a) => (
        <li key={a.id}>
          <span className="date">
            {a.date ?? (a.article?.published ? `reported ${a.article.published}` : "undated")}
          </span>{" "}
          <ActionTriple action={a} />
          {actionFlags(a).map((f) => (
            <span key={f}>
              {" "}
              <span className={`badge flag flag-${f}`}>{f}</span>
            </span>
          ))}
          {a.article && (
            <>
              {" "}
              <Link to={`/article/${a.article.id}#ev-${a.id}`} className="article-link">
                evidence
                <span className="visually-hidden"> in {a.article.title}</span>
              </Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Points for the timeline, labelled with the triple. An action without a date of its own
 * is placed at its article's publication date (and says so); one without either is left out.
 */
export function timelinePoints(
  asActor: readonly TimelineAction[],
  asTarget: readonly TimelineAction[],
): TimelinePoint[] {
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).join(", ") || "?";
  const point = (a: TimelineAction, role: "actor" | "target"): TimelinePoint | null => {
    const date = a.date ?? a.article?.published;
    if (!date) return null;
    const when = a.date ? a.date : `reported ${date}`;
    return {
      id: `${role}-${a.id}`,
      date,
      role,
      type: a.type,
      label: `${when}: ${names(a.actors)} → ${a.negated ? "not " : ""}${a.type} → ${names(a.targets)}`,
    };
  };
  return [
    ...asActor.map((a) => point(a, "actor")),
    ...asTarget.map((a) => point(a, "target")),
  ].filter((p): p is TimelinePoint => p !== null);
}

/** /entity/:id : who it is, its actions over time, its neighbourhood and its articles. */
export function EntityPage() {
  const { id = "" } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: EntityQuery, variables: { id } });
  const entity = data?.entity.__typename === "Entity" ? data.entity : null;
  useEffect(() => {
    document.title = entity ? `${entity.name} · newskg` : "Entity · newskg";
  }, [entity]);
  const points = useMemo(
    () => (entity ? timelinePoints(entity.asActor.nodes, entity.asTarget.nodes) : []),
    [entity],
  );
  const articles = useMemo(() => {
    const byId = new Map<string, { id: string; title: string; published?: string | null; source?: string | null; passages: number[] }>();
    for (const m of entity?.mentions ?? []) {
      if (!m.article) continue;
      const seen = byId.get(m.article.id);
      if (seen) seen.passages.push(m.index);
      else byId.set(m.article.id, { ...m.article, passages: [m.index] });
    }
    return [...byId.values()];
  }, [entity]);

  if (fetching && !data) return <Loading what="the entity" />;
  if (error) return <RequestError error={error} what="the entity" />;
  if (!data) return null;
  if (data.entity.__typename !== "Entity") {
    return (
      <section aria-labelledby="entity-title">
        <h1 id="entity-title">Entity</h1>
        {"message" in data.entity ? (
          <TypedError error={data.entity} />
        ) : (
          <p className="message error" role="alert">
            The entity could not be loaded.
          </p>
        )}
        <p>
          <Link to="/search">Back to search</Link>
        </p>
      </section>
    );
  }
  const e = data.entity;
  return (
    <article className="entity-page" aria-labelledby="entity-title">
      <header className="page-header">
        <h1 id="entity-title">
          {e.name} <TypeBadge type={e.type} />
        </h1>
        {e.aliases.length > 0 && (
          <p className="aliases">
            Also known as: {e.aliases.map((a) => <span key={a} className="badge">{a}</span>)}
          </p>
        )}
        {e.wikidata && (
          <p>
            <a href={wikidataUrl(e.wikidata)} rel="noopener noreferrer" target="_blank">
              Wikidata {e.wikidata}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
        )}
        {e.roles.length > 0 && (
          <div>
            <h2 className="h-small">Roles</h2>
            <ul className="roles">
              {e.roles.map((r) => (
                <li key={r.id}>
                  {r.title}
                  {r.organization && (
                    <>
                      {" "}
                      of <Link to={`/entity/${r.organization.id}`}>{r.organization.name}</Link>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </header>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <p className="hint">
          {e.asActor.totalCount} actions as actor, {e.asTarget.totalCount} as target
          {e.asActor.totalCount + e.asTarget.totalCount > points.length &&
            `; ${points.length} with a date shown`}
          . Actions without a date of their own sit at their article&apos;s publication date.
        </p>
        <Timeline points={points} name={e.name} />
        <div className="two-col">
          <div>
            <h3>As actor</h3>
            <ActionList actions={e.asActor.nodes} label={`Actions by ${e.name}`} />
          </div>
          <div>
            <h3>As target</h3>
            <ActionList actions={e.asTarget.nodes} label={`Actions against ${e.name}`} />
          </div>
        </div>
      </section>

      <section aria-labelledby="graph-h">
        <h2 id="graph-h">Neighbourhood</h2>
        <NeighborhoodGraph key={e.id} root={e} />
      </section>

      <section aria-labelledby="articles-h">
        <h2 id="articles-h">Articles mentioning {e.name}</h2>
        {articles.length === 0 ? (
          <p className="message">No article mentions it.</p>
        ) : (
          <ul className="article-list">
            {articles.map((a) => (
              <li key={a.id}>
                <Link to={`/article/${a.id}`}>{a.title}</Link>
                {a.published && <span className="date"> {a.published}</span>}
                {a.source && <span className="source"> {a.source}</span>}
                <span className="hint">
                  {" "}
                  ({a.passages.length} passage{a.passages.length === 1 ? "" : "s"})
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
