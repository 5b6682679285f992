/** Vite's `?raw` imports: a file's text, byte for byte (the export fixtures, posted as uploads). */
declare module '*?raw' {
  const text: string
  export default text
}
