import { BaseConfig } from './base.config';
import { buildConfig, ConfigValidationError } from './load-config';

class SomeServiceConfig extends BaseConfig {
  readonly serviceName = 'some-service';
  override PORT = 3999;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/x';
}

describe('NATS credentials in the configuration', () => {
  it('are required in production, naming NWD_NATS_CREDS_FILE', () => {
    expect(() => buildConfig(SomeServiceConfig, { NODE_ENV: 'production' })).toThrow(ConfigValidationError);
    try {
      buildConfig(SomeServiceConfig, { NODE_ENV: 'production' });
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['NWD_NATS_CREDS_FILE']);
    }
    expect(buildConfig(SomeServiceConfig, { NODE_ENV: 'production', NWD_NATS_CREDS_FILE: '/run/secrets/x.creds' }).NWD_NATS_CREDS_FILE).toBe('/run/secrets/x.creds');
  });

  it('may be left out in development and tests (a local server without authorization)', () => {
    expect(buildConfig(SomeServiceConfig, { NODE_ENV: 'development' }).NWD_NATS_CREDS_FILE).toBe('');
  });
});
