// What the docs page (GET /docs, src/routes/docs.ts) loads, read off its markup.
import swaggerUi from "swagger-ui-dist/package.json" with { type: "json" };

/** Where the page finds Swagger UI's files: under the version of swagger-ui-dist. */
export const DOCS_ASSETS = `docs/assets/${swaggerUi.version}`;

/** The URLs the markup loads or links to (every src and href), as written. */
export const urlsIn = (html: string): string[] =>
  [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string);

/** The media type a file of the page is served as, by its name. */
export function mediaTypeOf(url: string): RegExp {
  if (url.endsWith(".js")) return /^text\/javascript(;|$)/;
  if (url.endsWith(".css")) return /^text\/css(;|$)/;
  if (url.endsWith(".png")) return /^image\/png$/;
  if (url.endsWith(".json")) return /^application\/json(;|$)/;
  throw new Error(`the docs page loads ${url}, of no type this test knows`);
}
