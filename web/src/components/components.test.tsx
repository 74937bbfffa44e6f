import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ActionCard, type ActionView } from "./ActionCard";
import { Highlighted } from "./Highlighted";
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

describe("timeDomain", () => {
  it("pads a single day", () => {
    const day = new Date("2026-01-08T00:00:00Z");
    const [a, b] = timeDomain([day]);
    expect(a.getTime()).toBeLessThan(day.getTime());
    expect(b.getTime()).toBeGreaterThan(day.getTime());
  });
});
