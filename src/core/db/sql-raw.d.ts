/**
 * @file Type of `*.sql?raw` imports. Vite (electron-vite build) and Vitest both inline the file's
 * text as a string at build time, so migrations are bundled and never read from disk at run time.
 */
declare module '*.sql?raw' {
  const sql: string;
  export default sql;
}
