/** One retriever's vote, as the API returns it. */
export interface WhyVote {
  retriever: string;
  rank: number;
  score: number;
  path: readonly string[];
}

/** Chips saying which retrievers found a hit, at which rank, and the graph path. */
export function WhyChips({ why }: { why: readonly WhyVote[] }) {
  if (!why.length) return null;
  return (
    <ul className="why" aria-label="Why this was returned">
      {why.map((w) => (
        <li
          key={`${w.retriever}-${w.rank}`}
          className={`chip chip-${w.retriever}`}
          title={`${w.retriever} score ${w.score.toFixed(3)}`}
        >
          <span className="chip-name">{w.retriever}</span> #{w.rank}
          {w.path.length > 0 && <span className="chip-path"> via {w.path.join(" → ")}</span>}
        </li>
      ))}
    </ul>
  );
}
