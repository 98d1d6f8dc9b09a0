// A TypeScript-enum-shaped object from an `as const` list, so GraphQL enums (registerEnumType)
// and class-validator's IsEnum derive from the list that defines the concept.
// The same for lists of lower-case stored values whose GraphQL names are upper-case
// ('one_off' is ONE_OFF in the API and 'one_off' everywhere else).
export function upperEnumOf<const T extends readonly string[]>(values: T): { readonly [K in T[number] as Uppercase<K>]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v.toUpperCase(), v]))) as { readonly [K in T[number] as Uppercase<K>]: K };
}

export function enumOf<const T extends readonly string[]>(values: T): { readonly [K in T[number]]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { readonly [K in T[number]]: K };
}
