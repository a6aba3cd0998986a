import { describe, expect, it } from 'vitest';
import { AuthError, BudgetError } from '../../errors.js';
import { BadRequestError, ProviderAuthError, ProviderUnavailableError, RateLimitError } from '../../providers/spec.js';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('names the provider and request, and says what to do for each kind of provider failure', () => {
    expect(describeError(new RateLimitError('rate limited', { provider: 'openai', requestId: 'req_1' }))).toEqual({
      text: 'openai: rate limited (request id req_1)',
      hint: 'still rate-limited after retrying: wait a little and /retry, or /model to switch',
    });
    expect(describeError(new ProviderAuthError('invalid key', { provider: 'anthropic' })).hint).toMatch(/llmo auth add anthropic/);
    expect(describeError(new ProviderUnavailableError('overloaded', { provider: 'anthropic' })).hint).toMatch(/\/retry in a moment/);
    expect(describeError(new BadRequestError('prompt is too long', { provider: 'anthropic' })).hint).toMatch(/\/clear/);
  });

  it('keeps the hint an error brings, and adds /model for a missing key', () => {
    expect(describeError(new BudgetError('daily budget reached', { hint: 'raise budgets.daily_usd' }))).toEqual({
      text: 'daily budget reached',
      hint: 'raise budgets.daily_usd',
    });
    expect(describeError(new AuthError('no API key for openai')).hint).toMatch(/\/model/);
  });

  it('calls anything else an internal error without losing the conversation', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      text: 'internal error: x is undefined',
      hint: 'please report it; the conversation so far is saved',
    });
  });
});
