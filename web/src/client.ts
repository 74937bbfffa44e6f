import { Client, cacheExchange, fetchExchange } from "urql";

/** The explorer's GraphQL client: POST to the API's /graphql, same origin. */
export function makeClient(url = "/graphql"): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: "cache-first",
  });
}
