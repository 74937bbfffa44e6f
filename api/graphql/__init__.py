"""The GraphQL API (Strawberry): one type per module, the schema in :mod:`api.graphql.schema`."""
