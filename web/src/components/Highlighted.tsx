import type { ReactNode } from "react";
import { Link } from "react-router";
import { segment, type Span } from "../lib/highlight";

/** What a span of text is: the evidence of an action, or a mention of an entity. */
export type Mark =
  | { kind: "evidence"; actionId: string; label?: string }
  | { kind: "mention"; entityId: string; label?: string };

/**
 * `text` with its spans highlighted: evidence as <mark>, mentions as links to the
 * entity page. Nested spans nest (a mention inside evidence is a link inside a mark).
 * The first piece of each evidence span carries `id="ev-<action id>"` as an anchor.
 */
export function Highlighted({ text, spans }: { text: string; spans: readonly Span<Mark>[] }) {
  const anchored = new Set<string>();
  return (
    <>
      {segment(text, spans).map((seg) => {
        let node: ReactNode = seg.text;
        const mention = seg.marks.find((m) => m.kind === "mention");
        if (mention && mention.kind === "mention") {
          node = (
            <Link className="mention" to={`/entity/${mention.entityId}`} title={mention.label}>
              {node}
            </Link>
          );
        }
        for (const m of seg.marks) {
          if (m.kind !== "evidence") continue;
          const first = !anchored.has(m.actionId);
          anchored.add(m.actionId);
          node = (
            <mark
              className="evidence"
              data-action={m.actionId}
              id={first ? `ev-${m.actionId}` : undefined}
              title={m.label}
            >
              {node}
            </mark>
          );
        }
        return <span key={seg.start}>{node}</span>;
      })}
    </>
  );
}
