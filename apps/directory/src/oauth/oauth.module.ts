import { Module } from '@nestjs/common';
import { OAuthController } from './oauth.controller';
import { TokenService } from './token.service';

/** Tokens for API clients (client credentials), signed with the keys of SigningKeysModule. */
@Module({ controllers: [OAuthController], providers: [TokenService] })
export class OAuthModule {}
