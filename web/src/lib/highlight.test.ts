import { describe, expect, it } from "vitest";
import { evidenceInPassage, findMentions, segment } from "./highlight";

describe("segment", () => {
  it("splits at span edges and keeps the text", () => {
    const text = "Petro and Trump committed to joint actions against the ELN.";
    const segs = segment(text, [{ start: 16, end: 25, data: "ev" }]);
    expect(segs.map((s) => s.text).join("")).toBe(text);
    expect(segs.filter((s) => s.marks.length).map((s) => s.text)).toEqual(["committed"]);
  });

  it("nests overlapping spans", () => {
    const segs = segment("abcdef", [
      { start: 0, end: 4, data: "a" },
      { start: 2, end: 6, data: "b" },
    ]);
    expect(segs.map((s) => [s.text, s.marks])).toEqual([
      ["ab", ["a"]],
      ["cd", ["a", "b"]],
      ["ef", ["b"]],
    ]);
  });

  it("clamps out-of-range spans and drops empty ones", () => {
    const segs = segment("abc", [
      { start: -5, end: 1, data: 1 },
      { start: 2, end: 99, data: 2 },
      { start: 2, end: 2, data: 3 },
      { start: 3, end: 1, data: 4 },
    ]);
    expect(segs.map((s) => [s.text, s.marks])).toEqual([
      ["a", [1]],
      ["b", []],
      ["c", [2]],
    ]);
  });

  it("handles empty text", () => {
    expect(segment("", [])).toEqual([{ start: 0, end: 0, text: "", marks: [] }]);
  });
});

describe("evidenceInPassage", () => {
  const passage = { text: "They committed to taking joint actions.", start: 100, end: 139 };

  it("converts article offsets to passage offsets", () => {
    const evidence = { text: "committed to taking joint actions", start: 105, end: 138 };
    expect(evidenceInPassage(evidence, passage)).toEqual({ start: 5, end: 38 });
  });

  it("falls back to the text when offsets are missing or wrong", () => {
    expect(evidenceInPassage({ text: "joint actions", start: null, end: null }, passage)).toEqual({
      start: 25,
      end: 38,
    });
    expect(evidenceInPassage({ text: "joint actions", start: 0, end: 13 }, passage)).toEqual({
      start: 25,
      end: 38,
    });
  });

  it("returns null when the evidence is not in the passage", () => {
    expect(evidenceInPassage({ text: "elsewhere", start: 5, end: 9 }, passage)).toBeNull();
  });
});

describe("findMentions", () => {
  it("finds whole-word names and aliases, longest first, without overlaps", () => {
    const text = "The National Liberation Army (ELN) and the army of Colombia; ELNA is not it.";
    const found = findMentions(text, [
      { id: "eln", names: ["National Liberation Army", "ELN"] },
      { id: "army", names: ["Army"] },
      { id: "co", names: ["Colombia"] },
    ]);
    expect(found.map((m) => [text.slice(m.start, m.end), m.data])).toEqual([
      ["National Liberation Army", "eln"],
      ["ELN", "eln"],
      ["Colombia", "co"],
    ]);
  });

  it("ignores one-letter names and escapes regex characters", () => {
    const text = "A (U.S.) statement";
    expect(findMentions(text, [{ id: "x", names: ["A", "U.S."] }]).map((m) => m.data)).toEqual([
      "x",
    ]);
  });
});
