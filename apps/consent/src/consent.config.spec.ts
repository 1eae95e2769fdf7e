import { buildConfig, ConfigValidationError, loadConfig } from '@nwd/config';
import { ConsentConfig } from './consent.config';

describe('ConsentConfig', () => {
  it('defaults the network policy to the needs alone', () => {
    expect(loadConfig(ConsentConfig, {}).networkPolicy()).toEqual({ withoutConsent: ['needs-and-screening'] });
  });

  it('reads a comma-separated network policy', () => {
    const config = buildConfig(ConsentConfig, { NWD_CONSENT_DEFAULT_CATEGORIES: 'needs-and-screening, contact' });
    expect(config.networkPolicy()).toEqual({ withoutConsent: ['needs-and-screening', 'contact'] });
  });

  it('refuses an unknown category, naming the variable', () => {
    expect(() => buildConfig(ConsentConfig, { NWD_CONSENT_DEFAULT_CATEGORIES: 'needs-and-screening,finances' })).toThrow(ConfigValidationError);
    expect(() => buildConfig(ConsentConfig, { NWD_CONSENT_DEFAULT_CATEGORIES: 'finances' })).toThrow(/NWD_CONSENT_DEFAULT_CATEGORIES/);
  });
});
