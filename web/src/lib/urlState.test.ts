import { describe, expect, it } from "vitest";
import {
  EMPTY_SEARCH,
  isIsoDate,
  parseSearchState,
  toFilter,
  toSearchOptions,
  toSearchParams,
} from "./urlState";

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
      order: "",
      duplicates: false,
    });
  });

  it("reads the order and the duplicates toggle, dropping unknown orders", () => {
    const state = parseSearchState(new URLSearchParams("q=x&order=SOURCE_COUNT&duplicates=1"));
    expect(state.order).toBe("source_count");
    expect(state.duplicates).toBe(true);
    const odd = parseSearchState(new URLSearchParams("q=x&order=loudest&duplicates=no"));
    expect(odd.order).toBe("");
    expect(odd.duplicates).toBe(false);
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
    const state = { ...EMPTY_SEARCH, q: "talks", to: "2026-01-08", types: ["CONSULT"] };
    const params = toSearchParams(state);
    expect(params.toString()).toBe("q=talks&to=2026-01-08&types=CONSULT");
    expect(parseSearchState(params)).toEqual(state);
  });

  it("keeps the order and the duplicates toggle", () => {
    const state = { ...EMPTY_SEARCH, q: "talks", order: "source_count" as const, duplicates: true };
    const params = toSearchParams(state);
    expect(params.toString()).toBe("q=talks&order=source_count&duplicates=1");
    expect(parseSearchState(params)).toEqual(state);
  });
});

describe("toFilter", () => {
  it("is null when nothing filters", () => {
    expect(toFilter({ ...EMPTY_SEARCH, q: "x" })).toBeNull();
  });

  it("maps the filters to SearchFilterInput", () => {
    expect(toFilter({ ...EMPTY_SEARCH, q: "x", from: "2026-01-01", types: ["AID"], entity: "ELN" })).toEqual({
      from: "2026-01-01",
      types: ["AID"],
      entity: "ELN",
    });
  });
});

describe("toSearchOptions", () => {
  it("lets the question decide unless an order is chosen", () => {
    expect(toSearchOptions({ ...EMPTY_SEARCH, q: "x" })).toEqual({
      orderBy: null,
      includeDuplicates: false,
    });
    expect(toSearchOptions({ ...EMPTY_SEARCH, order: "source_count", duplicates: true })).toEqual({
      orderBy: "SOURCE_COUNT",
      includeDuplicates: true,
    });
    expect(toSearchOptions({ ...EMPTY_SEARCH, order: "relevance" }).orderBy).toBe("RELEVANCE");
  });
});

describe("isIsoDate", () => {
  it("accepts real dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2026-1-8")).toBe(false);
  });
});
