import { BaseConfig } from './base.config';
import { buildConfig, ConfigValidationError } from './load-config';
import { BooleanSetting, IntegerSetting } from './settings';

class SettingsConfig extends BaseConfig {
  readonly serviceName = 'settings';
  override PORT = 3999;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/x';
  @IntegerSetting(1) NWD_AT_LEAST_ONE: number = 5;
  @IntegerSetting(0, 10) NWD_UP_TO_TEN: number = 3;
  @BooleanSetting() NWD_SWITCH: boolean = true;
}

function problems(env: Record<string, string>): Record<string, string[]> {
  try {
    buildConfig(SettingsConfig, env);
    return {};
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.problems]));
  }
}

describe('one-line settings', () => {
  it('read whole numbers and switches from the environment', () => {
    const config = buildConfig(SettingsConfig, { NWD_AT_LEAST_ONE: '7', NWD_UP_TO_TEN: '10', NWD_SWITCH: '0' });
    expect([config.NWD_AT_LEAST_ONE, config.NWD_UP_TO_TEN, config.NWD_SWITCH]).toEqual([7, 10, false]);
    expect(buildConfig(SettingsConfig, {}).NWD_SWITCH).toBe(true);
    expect(buildConfig(SettingsConfig, { NWD_SWITCH: 'false' }).NWD_SWITCH).toBe(false);
  });

  it('refuse a bad value with class-validator’s message, naming the variable', () => {
    expect(problems({ NWD_AT_LEAST_ONE: '0', NWD_UP_TO_TEN: '11', NWD_SWITCH: 'maybe' })).toEqual({
      NWD_AT_LEAST_ONE: ['NWD_AT_LEAST_ONE must not be less than 1'],
      NWD_UP_TO_TEN: ['NWD_UP_TO_TEN must not be greater than 10'],
      NWD_SWITCH: ['NWD_SWITCH must be a boolean value'],
    });
    expect(problems({ NWD_UP_TO_TEN: '2.5' })).toEqual({ NWD_UP_TO_TEN: ['NWD_UP_TO_TEN must be an integer number'] });
  });
});
