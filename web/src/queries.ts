// Every GraphQL operation the explorer sends. graphql-codegen types them from
// api/schema.graphql (see codegen.ts); a field the schema drops fails the build.
import { graphql } from "./gql";

export const SearchQuery = graphql(`
  query Search(
    $query: String!
    $limit: Int!
    $filter: SearchFilterInput
    $orderBy: SearchOrder
    $includeDuplicates: Boolean!
  ) {
    search(
      query: $query
      limit: $limit
      filter: $filter
      orderBy: $orderBy
      includeDuplicates: $includeDuplicates
    ) {
      query
      orderBy
      includeDuplicates
      understanding {
        eventTypes
        eventWords
        orderBySources
        orderWords
        entities {
          span
          role
          entity {
            id
            name
          }
        }
      }
      entities {
        id
        name
        type
      }
      actions {
        id
        type
        mode
        date
        dateText
        negated
        hypothetical
        future
        confidence
        trigger
        actorTexts
        targetTexts
        actors {
          id
          name
        }
        targets {
          id
          name
        }
        attributedTo {
          id
          name
        }
        score
        why {
          retriever
          rank
          score
          path
        }
        evidence {
          text
          start
          end
          passage {
            id
            text
            start
            end
          }
          article {
            id
            title
            published
          }
        }
        sourceCount
        articleCount
        reports {
          action {
            id
          }
          evidence {
            text
            start
            end
            passage {
              id
              text
              start
              end
            }
          }
          article {
            id
            title
            url
            source
            published
          }
        }
      }
      passages {
        id
        text
        start
        end
        score
        why {
          retriever
          rank
          score
          path
        }
        article {
          id
          title
          published
          source
        }
      }
    }
  }
`);

export const EntityQuery = graphql(`
  query EntityPage($id: ID!) {
    entity(id: $id) {
      __typename
      ... on Entity {
        id
        name
        type
        aliases
        wikidata
        roles {
          id
          title
          organization {
            id
            name
          }
        }
        asActor: actions(role: ACTOR, first: 20) {
          totalCount
          nodes {
            ...TimelineAction
          }
        }
        asTarget: actions(role: TARGET, first: 20) {
          totalCount
          nodes {
            ...TimelineAction
          }
        }
        mentions(first: 20) {
          id
          index
          article {
            id
            title
            published
            source
          }
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);

export const TimelineActionFragment = graphql(`
  fragment TimelineAction on Action {
    id
    type
    date
    negated
    hypothetical
    future
    actors {
      id
      name
    }
    targets {
      id
      name
    }
    article {
      id
      title
      published
    }
  }
`);

export const NeighborsQuery = graphql(`
  query Neighbors($id: ID!, $first: Int! = 25) {
    neighbors(entityId: $id, depth: 1, first: $first) {
      __typename
      ... on Neighborhood {
        entity {
          id
          name
          type
        }
        neighbors {
          distance
          links
          entity {
            id
            name
            type
          }
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);

export const ArticleQuery = graphql(`
  query ArticlePage($id: ID!) {
    article(id: $id) {
      __typename
      ... on Article {
        id
        title
        published
        url
        source
        section
        passages {
          id
          index
          text
          start
          end
        }
        entities {
          id
          name
          type
          aliases
        }
        actions {
          id
          type
          date
          negated
          hypothetical
          future
          actorTexts
          targetTexts
          actors {
            id
            name
          }
          targets {
            id
            name
          }
          attributedTo {
            id
            name
          }
          evidence {
            text
            start
            end
            passage {
              id
            }
          }
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);
