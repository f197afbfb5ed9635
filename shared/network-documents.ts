/**
 * The network mediation client's GraphQL documents: its login and the one usage event it reports.
 * They are trusted documents like the web app's: the web build lists them in the same manifest
 * (web/persisted-documents.ts), so a production server accepts them from the network, and
 * `npm run usage:simulate` sends exactly these, by their id.
 */
import { graphql } from "./graphql.ts";

export const AuthenticateNetwork = graphql(`
  mutation AuthenticateNetwork($input: AuthenticateNetworkInput!) {
    authenticateNetwork(input: $input) {
      jwtToken
    }
  }
`);

export const RecordUsage = graphql(`
  mutation RecordUsage($input: RecordUsageInput!) {
    recordUsage(input: $input) {
      usageEvent {
        eventId
        outcome
        charged
        receivedAt
      }
    }
  }
`);

/** Every document of the network's client, for the manifest. */
export const NETWORK_DOCUMENTS = [AuthenticateNetwork, RecordUsage];
