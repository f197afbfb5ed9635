/**
 * Grafast reads GRAPHILE_ENV when it is first imported and warns when it is unset: the server runs it
 * in production mode unless told otherwise (GRAPHILE_ENV=development adds Grafast's own checks).
 * Imported first by app.ts, before anything that loads Grafast.
 */
process.env.GRAPHILE_ENV ??= "production";
