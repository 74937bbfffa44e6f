// Highlighting by character offsets: split a text into segments, each carrying the
// marks (evidence spans, entity mentions) that cover it. Overlapping and nested spans are
// fine: a segment boundary is placed at every span edge.

/** A span of a text, `text.slice(start, end)`, with what it marks. */
export interface Span<T> {
  start: number;
  end: number;
  data: T;
}

/** A run of text covered by the same spans (`marks`, in input order). */
export interface Segment<T> {
  start: number;
  end: number;
  text: string;
  marks: T[];
}

/**
 * Split `text` at every edge of `spans`. Spans are clamped to the text; empty or inverted
 * ones are ignored. Concatenating the segments' text gives back `text`.
 */
export function segment<T>(text: string, spans: readonly Span<T>[]): Segment<T>[] {
  const valid = spans
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(text.length, s.end) }))
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.start < s.end);
  const cuts = new Set<number>([0, text.length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment<T>[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (start === end) continue;
    const marks = valid.filter((s) => s.start <= start && s.end >= end).map((s) => s.data);
    out.push({ start, end, text: text.slice(start, end), marks });
  }
  if (out.length === 0) out.push({ start: 0, end: 0, text: "", marks: [] });
  return out;
}

/** Offsets of a passage in its article body. */
export interface PassageSpan {
  text: string;
  start: number;
  end: number;
}

/** Evidence as the API returns it: offsets into the article body (may be null). */
export interface EvidenceSpan {
  text: string;
  start?: number | null;
  end?: number | null;
}

/**
 * Where the evidence sits inside its passage, as offsets into `passage.text`.
 *
 * The API's evidence offsets are relative to the article body, like the passage's; the
 * evidence is `passage.text[evidence.start - passage.start : evidence.end - passage.start]`.
 * When offsets are missing or do not match the text, the evidence text is looked up in the
 * passage instead; null when it is not there either.
 */
export function evidenceInPassage(
  evidence: EvidenceSpan,
  passage: PassageSpan,
): { start: number; end: number } | null {
  if (evidence.start != null && evidence.end != null) {
    const start = evidence.start - passage.start;
    const end = evidence.end - passage.start;
    if (start >= 0 && end <= passage.text.length && start < end) {
      if (passage.text.slice(start, end) === evidence.text || !evidence.text) {
        return { start, end };
      }
    }
  }
  if (!evidence.text) return null;
  const at = passage.text.indexOf(evidence.text);
  return at < 0 ? null : { start: at, end: at + evidence.text.length };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An entity and the names it goes by (name and aliases). */
export interface Named {
  id: string;
  names: readonly string[];
}

/**
 * Occurrences of the entities' names in `text`, whole words only, case-sensitive.
 * Longer names win over shorter ones they overlap ("National Liberation Army" over
 * "Army"); the result is sorted by position and does not overlap.
 */
export function findMentions(text: string, entities: readonly Named[]): Span<string>[] {
  const candidates: { name: string; id: string }[] = [];
  for (const e of entities) {
    for (const name of e.names) {
      if (name.trim().length >= 2) candidates.push({ name: name.trim(), id: e.id });
    }
  }
  candidates.sort((a, b) => b.name.length - a.name.length);
  const taken: Span<string>[] = [];
  const overlaps = (s: number, e: number) => taken.some((t) => s < t.end && e > t.start);
  for (const { name, id } of candidates) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "gu");
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!overlaps(start, end)) taken.push({ start, end, data: id });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
