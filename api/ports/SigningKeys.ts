/**
 * The HMAC keys of page tokens and query handles: the one new tokens are signed with, and the one before it,
 * which tokens issued before the last rotation were signed with and which still opens them.
 */
export interface SigningKeyRing {
  readonly current: string;
  /** Undefined until the key has been rotated once. */
  readonly previous: string | undefined;
}

/** Where the keys live (Secrets Manager's AWSCURRENT and AWSPREVIOUS); answers from a cache of bounded age. */
export interface SigningKeys {
  keyRing(): Promise<SigningKeyRing>;
}
