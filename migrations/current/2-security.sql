-- Security of SPEC §2 and §5 (issue 4): grants and row-level security policies on tables, logins, JWT.

drop type if exists telecom.jwt_token cascade;

-- What a signed token carries; PostGraphile signs any function result of this type (pgJwtTypes).
create type telecom.jwt_token as (
  role text,
  exp bigint,
  mobile_no text,
  national_id integer,
  admin_id integer
);
comment on type telecom.jwt_token is 'A login token: the API role, the identity claims and the expiry (seconds since the epoch).';
