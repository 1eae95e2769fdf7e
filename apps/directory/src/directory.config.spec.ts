import { buildConfig, ConfigValidationError } from '@nwd/config';
import { DirectoryConfig } from './directory.config';

function problemsOf(values: Record<string, unknown>): string[] {
  try {
    buildConfig(DirectoryConfig, values);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems.map((p) => p.variable);
  }
}

describe('DirectoryConfig', () => {
  it('needs no first admin', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('names the missing half of the first admin’s credentials', () => {
    expect(problemsOf({ NWD_ADMIN_CLIENT_ID: 'network-admin' })).toEqual(['NWD_ADMIN_CLIENT_SECRET']);
    expect(problemsOf({ NWD_ADMIN_CLIENT_SECRET: 'x'.repeat(30) })).toEqual(['NWD_ADMIN_CLIENT_ID']);
  });

  it('refuses a short admin secret, an odd client id and tokens living longer than 15 minutes', () => {
    expect(problemsOf({ NWD_ADMIN_CLIENT_ID: 'network-admin', NWD_ADMIN_CLIENT_SECRET: 'short' })).toEqual(['NWD_ADMIN_CLIENT_SECRET']);
    expect(problemsOf({ NWD_ADMIN_CLIENT_ID: 'a b', NWD_ADMIN_CLIENT_SECRET: 'x'.repeat(30) })).toEqual(['NWD_ADMIN_CLIENT_ID']);
    expect(problemsOf({ NWD_TOKEN_TTL_SECONDS: 3600 })).toEqual(['NWD_TOKEN_TTL_SECONDS']);
  });
});
