import { Fragment } from "react";
import { Link } from "react-router";

export interface EntityRef {
  id: string;
  name: string;
}

/**
 * Resolved entities as links; the as-written texts when none resolved; `fallback` when
 * there is neither.
 */
export function EntityLinks({
  entities,
  texts = [],
  fallback = "someone",
}: {
  entities: readonly EntityRef[];
  texts?: readonly string[];
  fallback?: string;
}) {
  if (entities.length === 0) {
    return <span className="unresolved">{texts.length ? texts.join(", ") : fallback}</span>;
  }
  return (
    <>
      {entities.map((e, i) => (
        <Fragment key={e.id}>
          {i > 0 && (i === entities.length - 1 ? " and " : ", ")}
          <Link to={`/entity/${e.id}`} className="entity-link">
            {e.name}
          </Link>
        </Fragment>
      ))}
    </>
  );
}

/** The entity type as a small coloured badge, e.g. ArmedGroup. */
export function TypeBadge({ type }: { type: string }) {
  return <span className={`type-badge type-${typeClass(type)}`}>{type}</span>;
}

const KNOWN = ["Person", "Organization", "ArmedGroup", "Country", "Place", "GPE", "Location"];

/** A CSS-safe class suffix for an entity type (unknown types share one colour). */
export function typeClass(type: string): string {
  return KNOWN.includes(type) ? type.toLowerCase() : "other";
}
