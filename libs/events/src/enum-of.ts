// A TypeScript-enum-shaped object from an `as const` list, so GraphQL enums (registerEnumType)
// and class-validator's IsEnum derive from the list that defines the concept.
export function enumOf<const T extends readonly string[]>(values: T): { readonly [K in T[number]]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { readonly [K in T[number]]: K };
}
