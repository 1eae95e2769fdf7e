import { IsInt } from 'class-validator';
import { BaseConfig } from './base.config';
import { trustedProxies } from './trusted-proxies';
import { buildConfig, ConfigValidationError } from './load-config';

class ProbeConfig extends BaseConfig {
  readonly serviceName = 'probe';
  @IsInt() override PORT = 0;
  override DATABASE_URL = 'postgres://x@127.0.0.1/x';
}

describe('NWD_TRUSTED_PROXIES', () => {
  it('trusts nobody by default', () => {
    expect(trustedProxies(buildConfig(ProbeConfig, {}).NWD_TRUSTED_PROXIES)).toBe(false);
  });

  it.each([
    ['1', 1],
    ['10.0.0.0/8, 192.168.1.5', ['10.0.0.0/8', '192.168.1.5']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ])('reads %s as %j', (raw, expected) => {
    expect(trustedProxies(buildConfig(ProbeConfig, { NWD_TRUSTED_PROXIES: raw }).NWD_TRUSTED_PROXIES)).toEqual(expected);
  });

  it.each(['everyone', '10.0.0.0/33', '1.2.3', '10.0.0.1/8/2', 'true'])('refuses %s, naming the variable', (raw) => {
    const error = (() => {
      try {
        buildConfig(ProbeConfig, { NWD_TRUSTED_PROXIES: raw });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['NWD_TRUSTED_PROXIES']);
  });
});
