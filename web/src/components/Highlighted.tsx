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
 * The first piece of each evidence span carries `id="ev-<action id>"` as an anchor;
 * pieces covered by several actions' evidence are one <mark> listing them in data-actions.
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
        const evidence = seg.marks.filter((m) => m.kind === "evidence");
        if (evidence.length > 0) {
          // One <mark> per piece, however many actions share it; the first piece of each
          // action's evidence carries its anchor (extra anchors wrap the text unstyled).
          const fresh = evidence.filter((m) => !anchored.has(m.actionId));
          for (const m of fresh) anchored.add(m.actionId);
          for (const m of fresh.slice(1)) {
            node = <span id={`ev-${m.actionId}`}>{node}</span>;
          }
          node = (
            <mark
              className="evidence"
              data-actions={evidence.map((m) => m.actionId).join(" ")}
              id={fresh[0] ? `ev-${fresh[0].actionId}` : undefined}
              title={evidence.map((m) => m.label).filter(Boolean).join(", ") || undefined}
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
