import type { CombinedError } from "urql";

/** A polite, announced loading line. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** The human message of a failed request: network down, GraphQL error, HTTP status. */
export function describeError(error: CombinedError): string {
  if (error.networkError) {
    return `The API could not be reached (${error.networkError.message}).`;
  }
  const messages = error.graphQLErrors.map((e) => {
    const code = e.extensions?.["code"];
    return typeof code === "string" ? `${e.message} (${code})` : e.message;
  });
  return messages.length ? messages.join("; ") : error.message;
}

/** A request that failed as a whole. */
export function RequestError({ error, what }: { error: CombinedError; what: string }) {
  return (
    <div className="message error" role="alert">
      <strong>Could not load {what}.</strong> {describeError(error)}
    </div>
  );
}

/** An expected failure the API returned as data (a member of a result union). */
export function TypedError({ error }: { error: { message: string; code: string } }) {
  return (
    <div className="message error" role="alert" data-code={error.code}>
      <strong>{error.code === "NOT_FOUND" ? "Not found." : "The request was refused."}</strong>{" "}
      {error.message}
    </div>
  );
}
