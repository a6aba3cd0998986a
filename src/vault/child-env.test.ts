import { describe, expect, it } from 'vitest';
import { childEnvironment } from './child-env.js';

describe('childEnvironment', () => {
  it('drops LLMO_* and NODE_OPTIONS, keeps the rest', () => {
    const env = childEnvironment({
      LLMO_SESSION: 'v1.x.y',
      LLMO_PASSWORD_FILE: '/pw',
      LLMO_HOME: '/h',
      NODE_OPTIONS: '--inspect',
      PATH: '/bin',
      HOME: '/root',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/root' });
  });
});
