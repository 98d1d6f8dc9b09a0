// Injection tokens of the platform module, in a file of their own so providers the module lists
// can inject them without a circular import.
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');
