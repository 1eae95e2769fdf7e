import { DynamicModule } from '@nestjs/common';
import { BaseConfig, ConfigValidationError, loadConfig } from '@nwd/config';
import { ensureDatabase } from '@nwd/persistence';
import { createHttpApp, HttpAppOptions } from './create-http-app';

export interface ServiceDefinition<C extends BaseConfig> extends HttpAppOptions {
  config: new () => C;
  module: (config: C) => DynamicModule;
}

/**
 * A service's whole main.ts: validate config (exit 1 naming each bad variable), create the
 * database in development, boot, listen.
 */
export async function runService<C extends BaseConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let config: C;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(
        JSON.stringify({ level: 'fatal', msg: error.message, invalidVariables: error.problems }) + '\n',
      );
      process.exit(1);
    }
    throw error;
  }
  try {
    if (config.NODE_ENV !== 'production') await ensureDatabase(config.DATABASE_URL);
    const app = await createHttpApp(definition.module(config), config, definition);
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    process.stderr.write(
      JSON.stringify({ level: 'fatal', msg: `${config.serviceName} failed to start`, err: String(error) }) + '\n',
    );
    process.exit(1);
  }
}
