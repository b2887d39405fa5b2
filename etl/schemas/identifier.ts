/**
 * The one identifier rule of the dataset model: school, district, class, exam, student, result and question ids
 * in the data, the school and district ids and partner id of a token, and the ids in the API's paths, queries and
 * bodies. Letters, digits and `_ . : -`, starting with a letter or digit, at most 64 characters. The contract's
 * patterns (`openapi.yaml`: `#/components/schemas/Id` and the `partnerId` path parameters) and the token claim
 * checks derive from it, and a test keeps them equal, so an id that loads can be in a token and addressed in a path.
 */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';
/** Longest identifier accepted. */
export const ID_MAX_LENGTH = 64;
/** The rule with its length bound, as one pattern: what the contract declares. */
export const BOUNDED_ID_PATTERN = `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${ID_MAX_LENGTH - 1}}$`;

const BOUNDED_ID = new RegExp(BOUNDED_ID_PATTERN);

/** Whether a text is an identifier under the rule. */
export function isIdentifier(value: string): boolean {
  return BOUNDED_ID.test(value);
}

/** The rule in words, for messages. */
export const ID_RULE_TEXT = "letters, digits, '_', '.', ':' or '-', starting with a letter or digit, at most 64";
