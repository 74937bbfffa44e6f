import { describe, expect, it } from "vitest";
import { EMPTY_SEARCH, isIsoDate, parseSearchState, toFilter, toSearchParams } from "./urlState";

describe("parseSearchState", () => {
  it("reads every field", () => {
    const state = parseSearchState(
      new URLSearchParams("q=actions+against+the+ELN&from=2026-01-01&to=2026-01-31&types=agree,Accuse&entity=ELN"),
    );
    expect(state).toEqual({
      q: "actions against the ELN",
      from: "2026-01-01",
      to: "2026-01-31",
      types: ["AGREE", "ACCUSE"],
      entity: "ELN",
    });
  });

  it("accepts repeated types and drops unknown or duplicate ones", () => {
    const state = parseSearchState(new URLSearchParams("types=ASSAULT&types=BOGUS,assault&types=AID"));
    expect(state.types).toEqual(["ASSAULT", "AID"]);
  });

  it("drops malformed dates", () => {
    const state = parseSearchState(new URLSearchParams("from=2026-02-30&to=yesterday"));
    expect(state.from).toBe("");
    expect(state.to).toBe("");
  });

  it("gives the empty state for no parameters", () => {
    expect(parseSearchState(new URLSearchParams())).toEqual(EMPTY_SEARCH);
  });
});

describe("toSearchParams", () => {
  it("round-trips and leaves empty fields out", () => {
    const state = { q: "talks", from: "", to: "2026-01-08", types: ["CONSULT"], entity: "" };
    const params = toSearchParams(state);
    expect(params.toString()).toBe("q=talks&to=2026-01-08&types=CONSULT");
    expect(parseSearchState(params)).toEqual(state);
  });
});

describe("toFilter", () => {
  it("is null when nothing filters", () => {
    expect(toFilter({ ...EMPTY_SEARCH, q: "x" })).toBeNull();
  });

  it("maps the filters to SearchFilterInput", () => {
    expect(toFilter({ q: "x", from: "2026-01-01", to: "", types: ["AID"], entity: "ELN" })).toEqual({
      from: "2026-01-01",
      types: ["AID"],
      entity: "ELN",
    });
  });
});

describe("isIsoDate", () => {
  it("accepts real dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2026-1-8")).toBe(false);
  });
});
