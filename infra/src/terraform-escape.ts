/** @module Escaping literal text for Terraform JSON, where every string is a template. */

/**
 * Terraform reads `${...}` and `%{...}` in any string as template syntax. Literal text such as Glue's
 * projection template `${dt}` or SQL must reach AWS unchanged, so it is written `$${dt}` / `%%{`.
 * Apply it to literal text only, never to a string that already holds a Terraform reference.
 */
export function escapeTerraformTemplate(value: string): string {
  // Replacer functions: in a replacement *string*, `$$` itself means a single `$`.
  return value.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{')
}
