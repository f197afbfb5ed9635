// autocannon ships no types (and @types/autocannon is not a dependency): the bench uses it untyped.
declare module "autocannon";
