/**
 * Subscribing a number to a plan, putting a subscription on hold and resuming it: the documents the
 * customer's plans page and the administrators' management page both send.
 */
import { graphql } from "./graphql.ts";

export const Subscribe = graphql(`
  mutation Subscribe($mobileNo: String!, $planId: Int!) {
    subscribePlan(input: { mobileNo: $mobileNo, planId: $planId }) {
      planSubscription {
        planId
        status
      }
    }
  }
`);

export const Hold = graphql(`
  mutation Hold($mobileNo: String!, $planId: Int!) {
    holdSubscription(input: { mobileNo: $mobileNo, planId: $planId }) {
      planSubscription {
        planId
        status
      }
    }
  }
`);

export const Resume = graphql(`
  mutation Resume($mobileNo: String!, $planId: Int!) {
    resumeSubscription(input: { mobileNo: $mobileNo, planId: $planId }) {
      planSubscription {
        planId
        status
      }
    }
  }
`);
