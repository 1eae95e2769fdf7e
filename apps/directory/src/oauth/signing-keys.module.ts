import { Global, Module } from '@nestjs/common';
import { SigningKeys } from './signing-keys';

/** Global so that AuthModule can resolve the directory's own keys (`useExisting: SigningKeys`). */
@Global()
@Module({ providers: [SigningKeys], exports: [SigningKeys] })
export class SigningKeysModule {}
