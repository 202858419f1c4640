/** A stylesheet read as text (Vite's `?raw`), for tests that check the theme itself. */
declare module '*.css?raw' {
  const text: string;
  export default text;
}
