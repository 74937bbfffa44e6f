import { lazy, Suspense, useEffect, useRef } from "react";
import { Link, NavLink, Navigate, Route, Routes, useLocation } from "react-router";
import { Loading } from "./components/Status";
import { SearchPage } from "./pages/SearchPage";

// The entity page carries the chart and graph libraries: load them when first needed.
const EntityPage = lazy(() =>
  import("./pages/EntityPage").then((m) => ({ default: m.EntityPage })),
);
const ArticlePage = lazy(() =>
  import("./pages/ArticlePage").then((m) => ({ default: m.ArticlePage })),
);

function NotFoundPage() {
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p className="message" role="alert">
        There is no explorer page at this address. <Link to="/search">Go to search</Link>.
      </p>
    </section>
  );
}

/** Moves focus to the main region after navigation, for keyboard and screen-reader users. */
function useFocusOnNavigate(ref: React.RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus({ preventScroll: false });
  }, [pathname, ref]);
}

export function App() {
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigate(main);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/search" className="brand">
          newskg <span>explorer</span>
        </Link>
        <nav aria-label="Main">
          <NavLink to="/search">Search</NavLink>
          <a href="/graphql">GraphiQL</a>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/search" replace />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/entity/:id" element={<EntityPage />} />
            <Route path="/article/:id" element={<ArticlePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>
          Data from the newskg GraphQL API. Every action links to the sentence it was read
          from.
        </p>
      </footer>
    </>
  );
}
