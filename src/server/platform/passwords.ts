import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn's score 0–4; 3 means "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

// Built once: the dictionaries (about 40,000 common passwords, names, keyboard patterns) take ~100 ms to load.
let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () =>
  (estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs }));

/**
 * Why a password is refused, or undefined when it is acceptable: at least 10 characters, and a
 * zxcvbn score of 3+ so common passwords, repeats, sequences and keyboard walks fail.
 * `related` are words of the person (email, name) that make a password easier to guess.
 */
export function passwordProblem(password: string, related: string[] = []): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const words = related.flatMap((r) => r.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 3);
  const result = zxcvbn().check(password, [...words, 'tandem', 'meridian']);
  if (result.score < MIN_PASSWORD_SCORE) {
    return 'is too easy to guess (a common password, a word with few changes, a repeat, a sequence or a keyboard pattern); use a longer phrase of unrelated words';
  }
  return undefined;
}
