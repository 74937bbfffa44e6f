import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ActionCard, type ActionView } from "./ActionCard";
import { Highlighted } from "./Highlighted";
import { hostOf, reportedBy, type ReportView } from "./Reports";
import { timeDomain } from "./Timeline";

afterEach(cleanup);

const PASSAGE = "Petro and Trump committed to taking joint actions against the ELN, they said.";
const EVIDENCE = "committed to taking joint actions against the ELN";

const action: ActionView = {
  id: "a1",
  type: "COOPERATE",
  date: "2026-01-08",
  negated: false,
  hypothetical: false,
  future: true,
  actorTexts: ["Petro", "Trump"],
  targetTexts: ["ELN"],
  actors: [
    { id: "p", name: "Gustavo Petro" },
    { id: "t", name: "Donald Trump" },
  ],
  targets: [{ id: "eln", name: "National Liberation Army" }],
  attributedTo: [{ id: "p", name: "Gustavo Petro" }],
  evidence: {
    text: EVIDENCE,
    start: 1016,
    end: 1016 + EVIDENCE.length,
    passage: { id: "ps", text: PASSAGE, start: 1000, end: 1000 + PASSAGE.length },
    article: { id: "art", title: "Colombia and US", published: "2026-01-08" },
  },
};

describe("Highlighted", () => {
  it("marks evidence and links mentions, nested", () => {
    const { container } = render(
      <MemoryRouter>
        <Highlighted
          text="the ELN said"
          spans={[
            { start: 0, end: 7, data: { kind: "evidence", actionId: "a" } },
            { start: 4, end: 7, data: { kind: "mention", entityId: "eln" } },
          ]}
        />
      </MemoryRouter>,
    );
    const marks = container.querySelectorAll("mark.evidence");
    expect([...marks].map((m) => m.textContent)).toEqual(["the ", "ELN"]);
    expect(marks[0]?.id).toBe("ev-a");
    expect(marks[1]?.id).toBe("");
    const link = screen.getByRole("link", { name: "ELN" });
    expect(link.getAttribute("href")).toBe("/entity/eln");
    expect(container.textContent).toBe("the ELN said");
  });
});

describe("Highlighted with shared evidence", () => {
  it("draws one mark for actions sharing a span, with an anchor for each", () => {
    const { container } = render(
      <MemoryRouter>
        <Highlighted
          text="they agreed"
          spans={[
            { start: 0, end: 11, data: { kind: "evidence", actionId: "a" } },
            { start: 0, end: 11, data: { kind: "evidence", actionId: "b" } },
          ]}
        />
      </MemoryRouter>,
    );
    const marks = container.querySelectorAll("mark");
    expect(marks).toHaveLength(1);
    expect(marks[0]?.dataset.actions).toBe("a b");
    expect(container.querySelector("#ev-a")?.textContent).toBe("they agreed");
    expect(container.querySelector("#ev-b")?.textContent).toBe("they agreed");
  });
});

describe("ActionCard", () => {
  it("shows actor → type → target, flags, attribution and the highlighted evidence", () => {
    const { container } = render(
      <MemoryRouter>
        <ActionCard action={action} />
      </MemoryRouter>,
    );
    const title = container.querySelector(".action-title")?.textContent ?? "";
    expect(title).toContain("Gustavo Petro and Donald Trump");
    expect(title).toContain("COOPERATE");
    expect(title).toContain("National Liberation Army");
    expect(container.querySelector("mark.evidence")?.textContent).toBe(EVIDENCE);
    expect(container.querySelector("[data-testid=evidence]")?.textContent).toBe(PASSAGE);
    expect(screen.getByText("future")).toBeTruthy();
    expect(container.querySelector(".attributed")?.textContent).toBe("according to Gustavo Petro");
    const articleLink = screen.getByRole("link", { name: /Colombia and US/ });
    expect(articleLink.getAttribute("href")).toBe("/article/art#ev-a1");
  });

  it("falls back to the evidence text without a passage, and to texts without entities", () => {
    const { container } = render(
      <MemoryRouter>
        <ActionCard
          action={{
            ...action,
            actors: [],
            evidence: { text: EVIDENCE, start: null, end: null, passage: null, article: null },
          }}
        />
      </MemoryRouter>,
    );
    expect(container.querySelector("mark.evidence")?.textContent).toBe(EVIDENCE);
    expect(container.querySelector(".actor")?.textContent).toBe("Petro, Trump");
  });
});

const OTHER_PASSAGE = "In Washington, officials said Petro and Trump agreed on joint action against the ELN.";
const OTHER_EVIDENCE = "agreed on joint action against the ELN";

const reports: ReportView[] = [
  {
    action: { id: "a1" },
    evidence: action.evidence,
    article: { id: "art", title: "Colombia and US", url: "https://wire.example/a", source: "Wire A" },
  },
  {
    action: { id: "a2" },
    evidence: {
      text: OTHER_EVIDENCE,
      start: 540 + OTHER_PASSAGE.indexOf(OTHER_EVIDENCE),
      end: 540 + OTHER_PASSAGE.indexOf(OTHER_EVIDENCE) + OTHER_EVIDENCE.length,
      passage: { id: "ps2", text: OTHER_PASSAGE, start: 540, end: 540 + OTHER_PASSAGE.length },
    },
    article: {
      id: "art2",
      title: "Joint action agreed",
      url: "https://daily.example/news/2",
      source: "Daily B",
      published: "2026-01-09",
    },
  },
];

describe("ActionCard with its event", () => {
  it("shows the source count and every report with its article and highlighted evidence", () => {
    const { container } = render(
      <MemoryRouter>
        <ActionCard action={{ ...action, sourceCount: 2, articleCount: 3, reports }} />
      </MemoryRouter>,
    );
    expect(screen.getByTestId("source-count").textContent).toBe("reported by 2 sources in 3 articles");
    const items = container.querySelectorAll("[data-testid=report]");
    expect([...items].map((li) => li.getAttribute("data-action-id"))).toEqual(["a1", "a2"]);
    const second = items[1] as HTMLElement;
    expect(second.querySelector("mark.evidence")?.textContent).toBe(OTHER_EVIDENCE);
    expect(second.querySelector("[data-testid=report-evidence]")?.textContent).toBe(OTHER_PASSAGE);
    expect(second.querySelector(".source")?.textContent).toBe("Daily B");
    expect(second.querySelector(".offsets")?.textContent).toBe(
      `chars ${reports[1]?.evidence.start}–${reports[1]?.evidence.end}`,
    );
    expect(second.querySelector("a.external")?.getAttribute("href")).toBe("https://daily.example/news/2");
    expect(second.querySelector("a.article-link")?.getAttribute("href")).toBe("/article/art2#ev-a2");
    // The card's own evidence and its report of itself never share an anchor id.
    const ids = [...container.querySelectorAll("[id]")].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shows no count and no reports where the query did not ask for them", () => {
    const { container } = render(
      <MemoryRouter>
        <ActionCard action={action} />
      </MemoryRouter>,
    );
    expect(container.querySelector("[data-testid=source-count]")).toBeNull();
    expect(container.querySelector("[data-testid=reports]")).toBeNull();
  });
});

describe("reportedBy and hostOf", () => {
  it("say it in words", () => {
    expect(reportedBy(1)).toBe("reported by 1 source");
    expect(reportedBy(3, 3)).toBe("reported by 3 sources");
    expect(reportedBy(2, 5)).toBe("reported by 2 sources in 5 articles");
    expect(hostOf("https://daily.example/news/2")).toBe("daily.example");
    expect(hostOf("not a url")).toBe("not a url");
  });
});

describe("timeDomain", () => {
  it("pads a single day", () => {
    const day = new Date("2026-01-08T00:00:00Z");
    const [a, b] = timeDomain([day]);
    expect(a.getTime()).toBeLessThan(day.getTime());
    expect(b.getTime()).toBeGreaterThan(day.getTime());
  });
});
