/** A customer's login, shared by the login page and the benchmark (`npm run bench`, the login path). */
import { graphql } from "./graphql.ts";

export const Login = graphql(`
  mutation Login($mobileNo: String!, $password: String!) {
    authenticate(input: { mobileNo: $mobileNo, password: $password }) {
      jwtToken
    }
  }
`);
